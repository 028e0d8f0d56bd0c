using System.Numerics;
using System.Numerics.Tensors;

namespace MLNet.Nets.Kernels;

/// <summary>
/// Batch normalization over the channels of [N, C, S] data — NCHW images with S = H·W, or [N, F] features with C = F,
/// S = 1 — with PyTorch's semantics.
/// </summary>
/// <remarks>
/// <para>y = γ·(x − μ)/√(σ² + ε) + β per channel. In training μ and σ² are the batch statistics over N·S values (σ² biased)
/// and the running statistics move as running = (1 − momentum)·running + momentum·batch, with the unbiased variance
/// (σ²·M/(M − 1), M = N·S) for running_var — PyTorch's convention (momentum 0.1 there is Keras's 0.99).
/// In inference the running statistics replace the batch ones.</para>
/// <para>Per-channel sums are accumulated in double across the N slices of a channel.</para>
/// </remarks>
public static class BatchNorm
{
    /// <summary>Training-mode forward: normalises with batch statistics and updates the running statistics.</summary>
    /// <param name="x">Input [N, C, S].</param>
    /// <param name="y">Output [N, C, S]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S (H·W; 1 for [N, F]).</param>
    /// <param name="gamma">Scale γ [C].</param>
    /// <param name="beta">Shift β [C].</param>
    /// <param name="epsilon">ε added to the variance (PyTorch default 1e-5).</param>
    /// <param name="momentum">Running-statistics momentum in PyTorch's convention (default 0.1); 0 leaves them unchanged.</param>
    /// <param name="runningMean">Running mean [C], updated in place.</param>
    /// <param name="runningVar">Running (unbiased) variance [C], updated in place.</param>
    /// <param name="saveMean">Receives the batch mean μ [C] for <see cref="BackwardTraining"/>.</param>
    /// <param name="saveInvStd">Receives 1/√(σ² + ε) [C] for <see cref="BackwardTraining"/>.</param>
    /// <exception cref="ArgumentException">Sizes disagree, or N·S = 1 (no variance can be estimated from one value).</exception>
    public static void ForwardTraining(ReadOnlySpan<float> x, Span<float> y, int n, int c, int spatial,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, float momentum,
        Span<float> runningMean, Span<float> runningVar, Span<float> saveMean, Span<float> saveInvStd)
    {
        Check(x.Length, y.Length, n, c, spatial, "x", "y");
        CheckChannels(c, gamma.Length, beta.Length, runningMean.Length, runningVar.Length, saveMean.Length, saveInvStd.Length);
        long count = (long)n * spatial;
        if (count < 2)
        {
            throw new ArgumentException(
                $"Batch normalization in training needs more than one value per channel but the batch has N = {n}, S = {spatial}; " +
                "use a larger batch or inference mode.");
        }
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int s = 0; s < n; s++) sum += TensorPrimitives.Sum(x.Slice((s * c + ch) * spatial, spatial));
            float mean = (float)(sum / count);
            double sq = 0;
            for (int s = 0; s < n; s++) sq += VectorLoops.SumSquaredDeviation(x.Slice((s * c + ch) * spatial, spatial), mean);
            double variance = sq / count;
            float invStd = (float)(1.0 / Math.Sqrt(variance + epsilon));
            saveMean[ch] = mean;
            saveInvStd[ch] = invStd;
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
            runningVar[ch] = (float)((1 - momentum) * runningVar[ch] + momentum * (sq / (count - 1)));
            float scale = gamma[ch] * invStd;
            float shift = beta[ch] - mean * scale;
            for (int s = 0; s < n; s++)
            {
                int at = (s * c + ch) * spatial;
                ElementwiseDriver.Map(new ScaleShiftOp(scale, shift), x.Slice(at, spatial), y.Slice(at, spatial));
            }
        }
    }

    /// <summary>Inference-mode forward: y = γ·(x − running_mean)/√(running_var + ε) + β.</summary>
    /// <param name="x">Input [N, C, S].</param>
    /// <param name="y">Output [N, C, S]; may be the same span as <paramref name="x"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    /// <param name="gamma">Scale γ [C].</param>
    /// <param name="beta">Shift β [C].</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="epsilon">ε added to the variance.</param>
    public static void ForwardInference(ReadOnlySpan<float> x, Span<float> y, int n, int c, int spatial,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, float epsilon)
    {
        Check(x.Length, y.Length, n, c, spatial, "x", "y");
        CheckChannels(c, gamma.Length, beta.Length, runningMean.Length, runningVar.Length, c, c);
        for (int ch = 0; ch < c; ch++)
        {
            float scale = gamma[ch] / MathF.Sqrt(runningVar[ch] + epsilon);
            float shift = beta[ch] - runningMean[ch] * scale;
            for (int s = 0; s < n; s++)
            {
                int at = (s * c + ch) * spatial;
                ElementwiseDriver.Map(new ScaleShiftOp(scale, shift), x.Slice(at, spatial), y.Slice(at, spatial));
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="ForwardTraining"/> (the batch statistics depend on x):
    /// dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/√(σ² + ε)·(dy − dβ/M − x̂·dγ/M) with x̂ = (x − μ)/√(σ² + ε).
    /// </summary>
    /// <param name="x">The forward input [N, C, S].</param>
    /// <param name="dy">dLoss/dy [N, C, S].</param>
    /// <param name="dx">dLoss/dx [N, C, S], written; empty to skip it. May be the same span as <paramref name="dy"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    /// <param name="gamma">Scale γ [C].</param>
    /// <param name="saveMean">μ from the forward pass [C].</param>
    /// <param name="saveInvStd">1/√(σ² + ε) from the forward pass [C].</param>
    /// <param name="dGamma">dLoss/dγ [C], overwritten; empty to skip.</param>
    /// <param name="dBeta">dLoss/dβ [C], overwritten; empty to skip.</param>
    public static void BackwardTraining(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int n, int c, int spatial,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> saveMean, ReadOnlySpan<float> saveInvStd, Span<float> dGamma, Span<float> dBeta)
    {
        Check(x.Length, dy.Length, n, c, spatial, "x", "dy");
        if (!dx.IsEmpty) Check(x.Length, dx.Length, n, c, spatial, "x", "dx");
        CheckChannels(c, gamma.Length, dBeta.IsEmpty ? c : dBeta.Length, saveMean.Length, saveInvStd.Length,
            dGamma.IsEmpty ? c : dGamma.Length, c);
        double count = (double)n * spatial;
        for (int ch = 0; ch < c; ch++)
        {
            float mean = saveMean[ch], invStd = saveInvStd[ch];
            double sumDy = 0, sumDyXc = 0;
            for (int s = 0; s < n; s++)
            {
                int at = (s * c + ch) * spatial;
                var dys = dy.Slice(at, spatial);
                sumDy += TensorPrimitives.Sum(dys);
                sumDyXc += VectorLoops.SumProductCentered(dys, x.Slice(at, spatial), mean);
            }
            double dGammaCh = sumDyXc * invStd;
            if (!dGamma.IsEmpty) dGamma[ch] = (float)dGammaCh;
            if (!dBeta.IsEmpty) dBeta[ch] = (float)sumDy;
            if (dx.IsEmpty) continue;
            // dx = a·dy − b·x + k with a = γ·invStd, b = γ·invStd²·dγ/M, k = b·μ − a·dβ/M.
            double a = gamma[ch] * (double)invStd;
            double b = a * invStd * dGammaCh / count;
            var op = new AffinePairOp((float)a, (float)-b, (float)(b * mean - a * sumDy / count));
            for (int s = 0; s < n; s++)
            {
                int at = (s * c + ch) * spatial;
                ElementwiseDriver.Map(op, dy.Slice(at, spatial), x.Slice(at, spatial), dx.Slice(at, spatial));
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="ForwardInference"/> (statistics are constants — a frozen layer):
    /// dx = dy·γ/√(running_var + ε), dγ = Σ dy·(x − running_mean)/√(running_var + ε), dβ = Σ dy.
    /// </summary>
    /// <param name="x">The forward input [N, C, S].</param>
    /// <param name="dy">dLoss/dy [N, C, S].</param>
    /// <param name="dx">dLoss/dx [N, C, S], written; empty to skip. May be the same span as <paramref name="dy"/>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="c">Channels C.</param>
    /// <param name="spatial">Values per channel and sample S.</param>
    /// <param name="gamma">Scale γ [C].</param>
    /// <param name="runningMean">Running mean [C].</param>
    /// <param name="runningVar">Running variance [C].</param>
    /// <param name="epsilon">ε added to the variance.</param>
    /// <param name="dGamma">dLoss/dγ [C], overwritten; empty to skip.</param>
    /// <param name="dBeta">dLoss/dβ [C], overwritten; empty to skip.</param>
    public static void BackwardInference(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int n, int c, int spatial,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar, float epsilon,
        Span<float> dGamma, Span<float> dBeta)
    {
        Check(x.Length, dy.Length, n, c, spatial, "x", "dy");
        if (!dx.IsEmpty) Check(x.Length, dx.Length, n, c, spatial, "x", "dx");
        CheckChannels(c, gamma.Length, dBeta.IsEmpty ? c : dBeta.Length, runningMean.Length, runningVar.Length,
            dGamma.IsEmpty ? c : dGamma.Length, c);
        for (int ch = 0; ch < c; ch++)
        {
            float invStd = 1f / MathF.Sqrt(runningVar[ch] + epsilon);
            if (!dGamma.IsEmpty || !dBeta.IsEmpty)
            {
                double sumDy = 0, sumDyXc = 0;
                for (int s = 0; s < n; s++)
                {
                    int at = (s * c + ch) * spatial;
                    sumDy += TensorPrimitives.Sum(dy.Slice(at, spatial));
                    sumDyXc += VectorLoops.SumProductCentered(dy.Slice(at, spatial), x.Slice(at, spatial), runningMean[ch]);
                }
                if (!dGamma.IsEmpty) dGamma[ch] = (float)(sumDyXc * invStd);
                if (!dBeta.IsEmpty) dBeta[ch] = (float)sumDy;
            }
            if (dx.IsEmpty) continue;
            float scale = gamma[ch] * invStd;
            for (int s = 0; s < n; s++)
            {
                int at = (s * c + ch) * spatial;
                TensorPrimitives.Multiply(dy.Slice(at, spatial), scale, dx.Slice(at, spatial));
            }
        }
    }

    private static void Check(int aLength, int bLength, int n, int c, int spatial, string a, string b)
    {
        if (n < 0 || c < 1 || spatial < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"Batch normalization needs N ≥ 0, C ≥ 1, S ≥ 1 but got N = {n}, C = {c}, S = {spatial}.");
        }
        long expected = (long)n * c * spatial;
        if (aLength != expected) throw new ArgumentException($"Batch normalization: {a} has {aLength} elements but [{n}, {c}, {spatial}] needs {expected}.", a);
        if (bLength != expected) throw new ArgumentException($"Batch normalization: {b} has {bLength} elements but [{n}, {c}, {spatial}] needs {expected}.", b);
    }

    private static void CheckChannels(int c, params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
        {
            if (length != c) throw new ArgumentException($"Batch normalization: a per-channel vector has {length} elements but there are {c} channels.");
        }
    }

    /// <summary>x·scale + shift.</summary>
    private readonly struct ScaleShiftOp(float scale, float shift) : IUnaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> x) => x * scale + new Vector<float>(shift);
    }

    /// <summary>a·u + b·v + k.</summary>
    private readonly struct AffinePairOp(float a, float b, float k) : IBinaryVectorOp
    {
        public static bool Unroll => true;

        public Vector<float> Invoke(Vector<float> u, Vector<float> v) => u * a + v * b + new Vector<float>(k);
    }
}
