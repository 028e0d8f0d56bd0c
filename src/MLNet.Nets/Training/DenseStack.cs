using MLNet.Nets.Layers;

namespace MLNet.Nets.Training;

/// <summary>
/// A chain of fully connected layers evaluated in double precision on a packed parameter vector: the engine behind
/// Levenberg–Marquardt and traingdx. The vector holds, layer by layer, the weight [units, in] row-major and then the
/// bias [units] — the order of the layers' <c>weight</c>/<c>bias</c> parameters.
/// </summary>
internal sealed class DenseStack
{
    private readonly double[] _deltaA;
    private readonly double[] _deltaB;

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
        _deltaA = new double[widest];
        _deltaB = new double[widest];
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

    /// <summary>
    /// Per-output factor s applied to the errors: e = s·(t − y). The network trainer sets it to the inverse gain of the
    /// target mapping so that errors, Jacobian and performance are in the targets' own units, as MATLAB computes them
    /// through the output processing. Null means 1 for every output.
    /// </summary>
    public double[]? OutputScale { get; set; }

    private double Scale(int k) => OutputScale is null ? 1 : OutputScale[k];

    /// <summary>Net inputs and outputs of every layer for a block of rows; reused across epochs.</summary>
    public sealed class State
    {
        public State(DenseStack stack, int rows)
        {
            Rows = rows;
            Z = new double[stack.LayerCount][];
            A = new double[stack.LayerCount][];
            for (int l = 0; l < stack.LayerCount; l++)
            {
                Z[l] = new double[rows * stack.Sizes[l + 1]];
                A[l] = new double[rows * stack.Sizes[l + 1]];
            }
        }

        public int Rows { get; }

        public double[][] Z { get; }

        public double[][] A { get; }

        public double[] Output => A[^1];
    }

    /// <summary>Runs the rows of <paramref name="x"/> ([rows, inputs]) through the stack into <paramref name="state"/>.</summary>
    public void Forward(ReadOnlySpan<double> w, double[] x, State state)
    {
        int rows = state.Rows;
        for (int l = 0; l < LayerCount; l++)
        {
            int inCount = Sizes[l], units = Sizes[l + 1];
            double[] input = l == 0 ? x : state.A[l - 1];
            double[] z = state.Z[l], a = state.A[l];
            var weight = w.Slice(WeightOffsets[l], inCount * units);
            var bias = w.Slice(BiasOffsets[l], units);
            var activation = Activations[l];
            for (int s = 0; s < rows; s++)
            {
                var inRow = new ReadOnlySpan<double>(input, s * inCount, inCount);
                int o = s * units;
                for (int j = 0; j < units; j++)
                {
                    double v = bias[j] + SmallDenseAlgebra.Dot(weight.Slice(j * inCount, inCount), inRow);
                    z[o + j] = v;
                    a[o + j] = ActivationMath.Value(activation, v);
                }
            }
        }
    }

    /// <summary>Writes e = t − y into <paramref name="errors"/> (rows·outputs, the rest untouched) and returns Σe².</summary>
    public double Errors(State state, double[] targets, double[] errors)
    {
        var y = state.Output;
        int count = state.Rows * OutputCount;
        double sse = 0;
        if (OutputScale is null)
        {
            for (int i = 0; i < count; i++)
            {
                double e = targets[i] - y[i];
                errors[i] = e;
                sse += e * e;
            }
        }
        else
        {
            int m = OutputCount;
            for (int i = 0; i < count; i++)
            {
                double e = OutputScale[i % m] * (targets[i] - y[i]);
                errors[i] = e;
                sse += e * e;
            }
        }
        return sse;
    }

    /// <summary>Σ(t − y)² without storing the errors.</summary>
    public double SumSquaredError(State state, double[] targets)
    {
        var y = state.Output;
        int count = state.Rows * OutputCount;
        int m = OutputCount;
        double sse = 0;
        for (int i = 0; i < count; i++)
        {
            double e = Scale(i % m) * (targets[i] - y[i]);
            sse += e * e;
        }
        return sse;
    }

    /// <summary>
    /// The Jacobian of the (scaled) outputs with respect to the parameters, transposed: <c>jt[p, s·outputs + k]</c> =
    /// scale[k]·∂y[s, k]/∂w[p], rows of <paramref name="stride"/> doubles (columns past rows·outputs are left untouched).
    /// </summary>
    public void JacobianTransposed(ReadOnlySpan<double> w, double[] x, State state, double[] jt, int stride)
    {
        int outputs = OutputCount;
        int last = LayerCount - 1;
        for (int s = 0; s < state.Rows; s++)
        {
            for (int k = 0; k < outputs; k++)
            {
                int column = s * outputs + k;
                var delta = _deltaA;
                Array.Clear(delta, 0, outputs);
                int o = s * outputs + k;
                delta[k] = Scale(k) * ActivationMath.Derivative(Activations[last], state.Z[last][o], state.A[last][o]);
                for (int l = last; l >= 0; l--)
                {
                    int inCount = Sizes[l], units = Sizes[l + 1];
                    double[] input = l == 0 ? x : state.A[l - 1];
                    int inBase = s * inCount;
                    int wBase = WeightOffsets[l], bBase = BiasOffsets[l];
                    // At the output layer only unit k has a non-zero delta.
                    int jFrom = l == last ? k : 0, jTo = l == last ? k + 1 : units;
                    for (int j = jFrom; j < jTo; j++)
                    {
                        double d = delta[j];
                        long row = (long)(wBase + j * inCount) * stride + column;
                        for (int i = 0; i < inCount; i++, row += stride) jt[row] = d * input[inBase + i];
                        jt[(long)(bBase + j) * stride + column] = d;
                    }
                    if (l == last)
                    {
                        for (int j = 0; j < units; j++)
                        {
                            if (j == k) continue;
                            long row = (long)(wBase + j * inCount) * stride + column;
                            for (int i = 0; i < inCount; i++, row += stride) jt[row] = 0;
                            jt[(long)(bBase + j) * stride + column] = 0;
                        }
                    }
                    if (l > 0) delta = BackThrough(w, l, s, state, delta, jFrom, jTo);
                }
            }
        }
    }

    /// <summary>
    /// g = Σ_s Σ_k scale·e[s, k]·∂(OutputScale[k]·y[s, k])/∂w for errors from <see cref="Errors"/> (overwrites
    /// <paramref name="gradient"/>). With scale = 2/Q this is minus the gradient of the mean squared error.
    /// </summary>
    public void Gradient(ReadOnlySpan<double> w, double[] x, State state, double[] errors, double scale, Span<double> gradient)
    {
        gradient.Clear();
        int outputs = OutputCount;
        int last = LayerCount - 1;
        for (int s = 0; s < state.Rows; s++)
        {
            var delta = _deltaA;
            for (int k = 0; k < outputs; k++)
            {
                int o = s * outputs + k;
                delta[k] = scale * Scale(k) * errors[o] * ActivationMath.Derivative(Activations[last], state.Z[last][o], state.A[last][o]);
            }
            for (int l = last; l >= 0; l--)
            {
                int inCount = Sizes[l], units = Sizes[l + 1];
                double[] input = l == 0 ? x : state.A[l - 1];
                var inRow = new ReadOnlySpan<double>(input, s * inCount, inCount);
                int wBase = WeightOffsets[l], bBase = BiasOffsets[l];
                for (int j = 0; j < units; j++)
                {
                    double d = delta[j];
                    if (d == 0) continue;
                    var g = gradient.Slice(wBase + j * inCount, inCount);
                    for (int i = 0; i < inCount; i++) g[i] += d * inRow[i];
                    gradient[bBase + j] += d;
                }
                if (l > 0) delta = BackThrough(w, l, s, state, delta, 0, units);
            }
        }
    }

    // delta of layer l (units j in [jFrom, jTo)) → delta of layer l − 1 for sample s.
    private double[] BackThrough(ReadOnlySpan<double> w, int l, int s, State state, double[] delta, int jFrom, int jTo)
    {
        int inCount = Sizes[l];
        var next = ReferenceEquals(delta, _deltaA) ? _deltaB : _deltaA;
        var weight = w.Slice(WeightOffsets[l], inCount * Sizes[l + 1]);
        for (int i = 0; i < inCount; i++) next[i] = 0;
        for (int j = jFrom; j < jTo; j++)
        {
            double d = delta[j];
            if (d == 0) continue;
            var row = weight.Slice(j * inCount, inCount);
            for (int i = 0; i < inCount; i++) next[i] += row[i] * d;
        }
        var prevAct = Activations[l - 1];
        double[] z = state.Z[l - 1], a = state.A[l - 1];
        int o = s * inCount;
        for (int i = 0; i < inCount; i++) next[i] *= ActivationMath.Derivative(prevAct, z[o + i], a[o + i]);
        return next;
    }
}
