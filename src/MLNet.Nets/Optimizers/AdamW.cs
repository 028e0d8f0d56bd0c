namespace MLNet.Nets.Optimizers;

/// <summary>
/// Adam with decoupled weight decay, PyTorch's <c>torch.optim.AdamW</c>: first w ← w·(1 − lr·wd), then the Adam update.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size; default 1e-3.</param>
    /// <param name="beta1">Decay of the first moment; default 0.9.</param>
    /// <param name="beta2">Decay of the second moment; default 0.999.</param>
    /// <param name="epsilon">Added to the denominator; default 1e-8.</param>
    /// <param name="weightDecay">Decoupled decay factor; default 0.01 (PyTorch's default).</param>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(learningRate, beta1, beta2, epsilon, weightDecay) { }

    /// <inheritdoc />
    public override string Name => "adamw";

    /// <inheritdoc />
    protected override bool DecoupledWeightDecay => true;
}
