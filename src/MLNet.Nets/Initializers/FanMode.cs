namespace MLNet.Nets.Initializers;

/// <summary>Which fan <see cref="VarianceScaling"/> divides the scale by.</summary>
public enum FanMode
{
    /// <summary>fan_in: preserves the variance of activations in the forward pass (He, LeCun).</summary>
    FanIn,
    /// <summary>fan_out: preserves the variance of gradients in the backward pass.</summary>
    FanOut,
    /// <summary>(fan_in + fan_out) / 2: the compromise Glorot uses.</summary>
    FanAverage,
}
