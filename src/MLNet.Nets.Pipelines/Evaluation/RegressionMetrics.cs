namespace MLNet.Nets.Evaluation;

/// <summary>Regression quality, with ML.NET's names (see <see cref="RegressionEvaluator"/>).</summary>
public sealed class RegressionMetrics
{
    internal RegressionMetrics(double mae, double mse, double r2, double loss, long count)
    {
        MeanAbsoluteError = mae;
        MeanSquaredError = mse;
        RootMeanSquaredError = Math.Sqrt(mse);
        RSquared = r2;
        LossFunction = loss;
        Count = count;
    }

    /// <summary>Mean of |label − score| (ML.NET's L1).</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>Mean of (label − score)² (ML.NET's L2).</summary>
    public double MeanSquaredError { get; }

    /// <summary>√MeanSquaredError.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>Coefficient of determination 1 − SSE/SST, SST taken around the labels' mean (can be negative;
    /// NaN when every label is the same, as scikit-learn's <c>r2_score</c> gives 0/1 only by convention).</summary>
    public double RSquared { get; }

    /// <summary>Mean of the loss function (squared loss: equals <see cref="MeanSquaredError"/>).</summary>
    public double LossFunction { get; }

    /// <summary>Rows evaluated.</summary>
    public long Count { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"MAE {MeanAbsoluteError:F4}  MSE {MeanSquaredError:F4}  RMSE {RootMeanSquaredError:F4}  R² {RSquared:F4}  ({Count} rows)");
}
