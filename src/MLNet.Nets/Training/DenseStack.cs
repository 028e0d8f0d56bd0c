using System.Runtime.CompilerServices;
using MLNet.Nets.Layers;

namespace MLNet.Nets.Training;

/// <summary>
/// A chain of fully connected layers evaluated in double precision on a packed parameter vector: the engine behind
/// Levenberg–Marquardt and traingdx. The vector holds, layer by layer, the weight [units, in] row-major and then the
/// bias [units] — the order of the layers' <c>weight</c>/<c>bias</c> parameters.
/// </summary>
/// <remarks>
/// Data are feature-major ([features, rows]): every per-unit operation is then a SIMD loop over all rows, and each
/// Jacobian row (one parameter, all samples) is written contiguously. Errors and Jacobian columns are ordered
/// output-major: column k·rows + s is output k of sample s.
/// </remarks>
internal sealed class DenseStack
{
    public DenseStack(int[] sizes, Activation[] activations)
    {
        if (sizes.Length < 2 || activations.Length != sizes.Length - 1)
        {
            throw new ArgumentException("A dense stack needs at least one layer and one activation per layer.");
        }
        for (int l = 0; l < activations.Length; l++)
        {
            if (sizes[l] <= 0 || sizes[l + 1] <= 0) throw new ArgumentException($"Layer {l} has a zero size.");
            if (!ActivationMath.IsElementWise(activations[l]))
            {
                throw new NotSupportedException(
                    $"Layer {l} uses {activations[l]}, which is not element-wise; Levenberg–Marquardt and traingdx " +
                    "train layers with element-wise activations (tansig, logsig, purelin, ReLU, …).");
            }
        }
        Sizes = (int[])sizes.Clone();
        Activations = (Activation[])activations.Clone();
        WeightOffsets = new int[LayerCount];
        BiasOffsets = new int[LayerCount];
        int offset = 0, widest = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            WeightOffsets[l] = offset;
            offset += sizes[l] * sizes[l + 1];
            BiasOffsets[l] = offset;
            offset += sizes[l + 1];
            widest = Math.Max(widest, Math.Max(sizes[l], sizes[l + 1]));
        }
        ParameterCount = offset;
        Widest = widest;
    }

    /// <summary>Layer widths: [inputs, units of layer 0, units of layer 1, …].</summary>
    public int[] Sizes { get; }

    public Activation[] Activations { get; }

    public int LayerCount => Activations.Length;

    public int InputCount => Sizes[0];

    public int OutputCount => Sizes[^1];

    public int[] WeightOffsets { get; }

    public int[] BiasOffsets { get; }

    public int ParameterCount { get; }

    private int Widest { get; }

    /// <summary>
    /// Per-output factor s applied to the errors: e = s·(t − y). The network trainer sets it to the inverse gain of the
    /// target mapping so that errors, Jacobian and performance are in the targets' own units, as MATLAB computes them
    /// through the output processing. Null means 1 for every output.
    /// </summary>
    public double[]? OutputScale { get; set; }

    private double Scale(int k) => OutputScale is null ? 1 : OutputScale[k];

    /// <summary>Net inputs, outputs, derivatives and back-propagated deltas for a block of rows; reused across epochs.</summary>
    public sealed class State
    {
        public State(DenseStack stack, int rows)
        {
            Rows = rows;
            Z = new double[stack.LayerCount][];
            A = new double[stack.LayerCount][];
            D = new double[stack.LayerCount][];
            for (int l = 0; l < stack.LayerCount; l++)
            {
                Z[l] = new double[rows * stack.Sizes[l + 1]];
                A[l] = new double[rows * stack.Sizes[l + 1]];
                D[l] = new double[rows * stack.Sizes[l + 1]];
            }
            DeltaA = new double[rows * stack.Widest];
            DeltaB = new double[rows * stack.Widest];
        }

        public int Rows { get; }

        /// <summary>Net inputs per layer, [units, rows].</summary>
        public double[][] Z { get; }

        /// <summary>Outputs per layer, [units, rows].</summary>
        public double[][] A { get; }

        /// <summary>f'(net input) per layer, [units, rows] (filled by the Jacobian and gradient passes).</summary>
        public double[][] D { get; }

        internal double[] DeltaA { get; }

        internal double[] DeltaB { get; }

        /// <summary>The network outputs, [outputs, rows].</summary>
        public double[] Output => A[^1];
    }

    /// <summary>Runs the rows of <paramref name="xt"/> ([inputs, rows]) through the stack into <paramref name="state"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<double> w, double[] xt, State state)
    {
        int rows = state.Rows;
        for (int l = 0; l < LayerCount; l++)
        {
            int inCount = Sizes[l], units = Sizes[l + 1];
            double[] input = l == 0 ? xt : state.A[l - 1];
            double[] z = state.Z[l];
            int wBase = WeightOffsets[l], bBase = BiasOffsets[l];
            for (int j = 0; j < units; j++)
            {
                var zj = z.AsSpan(j * rows, rows);
                zj.Fill(w[bBase + j]);
                for (int i = 0; i < inCount; i++)
                {
                    double wji = w[wBase + j * inCount + i];
                    if (wji != 0) DoubleVectorOps.Axpy(wji, input.AsSpan(i * rows, rows), zj);
                }
            }
            ActivationMath.Apply(Activations[l], z.AsSpan(0, units * rows), state.A[l].AsSpan(0, units * rows));
        }
    }

    /// <summary>Writes e = s·(t − y) into <paramref name="errors"/> ([outputs, rows]; the rest untouched) and returns Σe².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Errors(State state, double[] targets, double[] errors)
    {
        int rows = state.Rows;
        for (int k = 0; k < OutputCount; k++)
        {
            var e = errors.AsSpan(k * rows, rows);
            DoubleVectorOps.Subtract(targets.AsSpan(k * rows, rows), state.Output.AsSpan(k * rows, rows), e);
            double s = Scale(k);
            if (s != 1) DoubleVectorOps.Scale(s, e, e);
        }
        var all = errors.AsSpan(0, rows * OutputCount);
        return SmallDenseAlgebra.Dot(all, all);
    }

    /// <summary>Σ(s·(t − y))² without keeping the errors (uses the state's delta buffer as scratch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double SumSquaredError(State state, double[] targets)
    {
        int rows = state.Rows;
        double sse = 0;
        var e = state.DeltaA.AsSpan(0, rows);
        for (int k = 0; k < OutputCount; k++)
        {
            DoubleVectorOps.Subtract(targets.AsSpan(k * rows, rows), state.Output.AsSpan(k * rows, rows), e);
            double s = Scale(k);
            sse += s * s * SmallDenseAlgebra.Dot(e, e);
        }
        return sse;
    }

    /// <summary>
    /// The Jacobian of the scaled outputs with respect to the parameters, transposed: <c>jt[p, k·rows + s]</c> =
    /// scale[k]·∂y[k, s]/∂w[p], rows of <paramref name="stride"/> doubles (columns past rows·outputs are left untouched).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void JacobianTransposed(ReadOnlySpan<double> w, double[] xt, State state, double[] jt, int stride)
    {
        int rows = state.Rows;
        int last = LayerCount - 1;
        Derivatives(state);
        for (int k = 0; k < OutputCount; k++)
        {
            int column = k * rows;
            // Output layer: only unit k has a non-zero delta for output k.
            var delta = state.DeltaA;
            var dk = delta.AsSpan(0, rows);
            DoubleVectorOps.Scale(Scale(k), state.D[last].AsSpan(k * rows, rows), dk);
            {
                int inCount = Sizes[last], units = Sizes[last + 1];
                double[] input = last == 0 ? xt : state.A[last - 1];
                for (int j = 0; j < units; j++)
                {
                    int wRow = WeightOffsets[last] + j * inCount;
                    for (int i = 0; i < inCount; i++)
                    {
                        var target = jt.AsSpan((wRow + i) * stride + column, rows);
                        if (j == k) DoubleVectorOps.Multiply(dk, input.AsSpan(i * rows, rows), target);
                        else target.Clear();
                    }
                    var biasTarget = jt.AsSpan((BiasOffsets[last] + j) * stride + column, rows);
                    if (j == k) dk.CopyTo(biasTarget);
                    else biasTarget.Clear();
                }
                if (last > 0)
                {
                    var next = state.DeltaB;
                    var wk = w.Slice(WeightOffsets[last] + k * inCount, inCount);
                    var d = state.D[last - 1];
                    for (int i = 0; i < inCount; i++)
                    {
                        var ni = next.AsSpan(i * rows, rows);
                        DoubleVectorOps.Scale(wk[i], d.AsSpan(i * rows, rows), ni);
                        DoubleVectorOps.Multiply(ni, dk, ni);
                    }
                    delta = next;
                }
            }
            for (int l = last - 1; l >= 0; l--)
            {
                int inCount = Sizes[l], units = Sizes[l + 1];
                double[] input = l == 0 ? xt : state.A[l - 1];
                for (int j = 0; j < units; j++)
                {
                    var dj = delta.AsSpan(j * rows, rows);
                    int wRow = WeightOffsets[l] + j * inCount;
                    for (int i = 0; i < inCount; i++)
                    {
                        DoubleVectorOps.Multiply(dj, input.AsSpan(i * rows, rows), jt.AsSpan((wRow + i) * stride + column, rows));
                    }
                    dj.CopyTo(jt.AsSpan((BiasOffsets[l] + j) * stride + column, rows));
                }
                if (l > 0) delta = BackThrough(w, l, state, delta);
            }
        }
    }

    /// <summary>
    /// g = scale·Σ_k Σ_s e[k, s]·∂(s_k·y[k, s])/∂w for errors from <see cref="Errors"/> (overwrites
    /// <paramref name="gradient"/>). With scale = 2/Q this is minus the gradient of the mean squared error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gradient(ReadOnlySpan<double> w, double[] xt, State state, double[] errors, double scale, Span<double> gradient)
    {
        int rows = state.Rows;
        int last = LayerCount - 1;
        Derivatives(state);
        var delta = state.DeltaA;
        for (int k = 0; k < OutputCount; k++)
        {
            var dk = delta.AsSpan(k * rows, rows);
            DoubleVectorOps.Multiply(state.D[last].AsSpan(k * rows, rows), errors.AsSpan(k * rows, rows), dk);
            DoubleVectorOps.Scale(scale * Scale(k), dk, dk);
        }
        for (int l = last; l >= 0; l--)
        {
            int inCount = Sizes[l], units = Sizes[l + 1];
            double[] input = l == 0 ? xt : state.A[l - 1];
            for (int j = 0; j < units; j++)
            {
                var dj = delta.AsSpan(j * rows, rows);
                int wRow = WeightOffsets[l] + j * inCount;
                for (int i = 0; i < inCount; i++) gradient[wRow + i] = SmallDenseAlgebra.Dot(dj, input.AsSpan(i * rows, rows));
                gradient[BiasOffsets[l] + j] = DoubleVectorOps.Sum(dj);
            }
            if (l > 0) delta = BackThrough(w, l, state, delta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Derivatives(State state)
    {
        int rows = state.Rows;
        for (int l = 0; l < LayerCount; l++)
        {
            int n = rows * Sizes[l + 1];
            ActivationMath.Derivative(Activations[l], state.Z[l].AsSpan(0, n), state.A[l].AsSpan(0, n), state.D[l].AsSpan(0, n));
        }
    }

    // Deltas of layer l ([units, rows]) → deltas of layer l − 1: D[l−1] ⊙ (W_lᵀ·delta).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double[] BackThrough(ReadOnlySpan<double> w, int l, State state, double[] delta)
    {
        int rows = state.Rows;
        int inCount = Sizes[l], units = Sizes[l + 1];
        var next = ReferenceEquals(delta, state.DeltaA) ? state.DeltaB : state.DeltaA;
        var weight = w.Slice(WeightOffsets[l], inCount * units);
        var d = state.D[l - 1];
        for (int i = 0; i < inCount; i++)
        {
            var ni = next.AsSpan(i * rows, rows);
            ni.Clear();
            for (int j = 0; j < units; j++)
            {
                double wji = weight[j * inCount + i];
                if (wji != 0) DoubleVectorOps.Axpy(wji, delta.AsSpan(j * rows, rows), ni);
            }
            DoubleVectorOps.Multiply(ni, d.AsSpan(i * rows, rows), ni);
        }
        return next;
    }
}
