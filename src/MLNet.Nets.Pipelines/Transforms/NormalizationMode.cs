namespace MLNet.Nets.Transforms;

/// <summary>The normalizers.</summary>
public enum NormalizationMode
{
    /// <summary>By the observed minimum and maximum.</summary>
    MinMax,
    /// <summary>By the mean and standard deviation.</summary>
    MeanVariance,
    /// <summary>By the mean and standard deviation of the logarithm (log-normal data).</summary>
    LogMeanVariance,
}
