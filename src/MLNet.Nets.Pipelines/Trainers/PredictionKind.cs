namespace MLNet.Nets.Trainers;

/// <summary>The machine-learning task a trained network serves.</summary>
public enum PredictionKind
{
    /// <summary>One real-valued output (<c>Score</c>).</summary>
    Regression,
    /// <summary>Two classes (<c>Score</c>, <c>Probability</c>, Boolean <c>PredictedLabel</c>).</summary>
    BinaryClassification,
    /// <summary>K classes (<c>Score</c> = K probabilities, key <c>PredictedLabel</c>).</summary>
    MulticlassClassification,
}
