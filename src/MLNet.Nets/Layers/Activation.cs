namespace MLNet.Nets.Layers;

/// <summary>Element-wise activation (transfer) functions. MATLAB's names are aliases: tansig, logsig, purelin.</summary>
public enum Activation
{
    /// <summary>f(x) = x (MATLAB purelin).</summary>
    Linear = 0,
    /// <summary>f(x) = max(0, x).</summary>
    ReLU,
    /// <summary>f(x) = min(max(0, x), 6).</summary>
    ReLU6,
    /// <summary>f(x) = x for x &gt; 0, else αx (α = 0.01 unless the layer says otherwise).</summary>
    LeakyReLU,
    /// <summary>f(x) = x for x &gt; 0, else α(eˣ − 1) (α = 1).</summary>
    ELU,
    /// <summary>f(x) = 1 / (1 + e⁻ˣ) (MATLAB logsig).</summary>
    Sigmoid,
    /// <summary>f(x) = tanh(x) (MATLAB tansig).</summary>
    Tanh,
    /// <summary>f(x) = ln(1 + eˣ).</summary>
    Softplus,
    /// <summary>f(x) = x · sigmoid(x) (also called SiLU).</summary>
    Swish,
    /// <summary>f(x) = relu6(x + 3) / 6, as in PyTorch and MobileNetV3.</summary>
    HardSigmoid,
    /// <summary>f(x) = x · relu6(x + 3) / 6, as in PyTorch and MobileNetV3.</summary>
    HardSwish,
    /// <summary>Softmax over the last axis (features) — for output layers.</summary>
    Softmax,
    /// <summary>MATLAB's name for <see cref="Linear"/>.</summary>
    Purelin = Linear,
    /// <summary>MATLAB's name for <see cref="Tanh"/>.</summary>
    Tansig = Tanh,
    /// <summary>MATLAB's name for <see cref="Sigmoid"/>.</summary>
    Logsig = Sigmoid,
}
