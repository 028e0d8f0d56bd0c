namespace MLNet.Nets.Initializers;

/// <summary>The distribution <see cref="VarianceScaling"/> draws from; all three have the same variance.</summary>
public enum Distribution
{
    /// <summary>U(−limit, limit) with limit = √(3·scale / n).</summary>
    Uniform,
    /// <summary>N(0, scale / n), untruncated (PyTorch's xavier_normal_ and kaiming_normal_).</summary>
    Normal,
    /// <summary>
    /// A normal cut at ±2 standard deviations and widened by 1/0.8796 so that the variance stays scale / n
    /// (Keras's glorot_normal, he_normal and lecun_normal).
    /// </summary>
    TruncatedNormal,
}
