namespace MLNet.Nets.Training;

/// <summary>The outcome of Levenberg–Marquardt or traingdx training — MATLAB's training record <c>tr</c>.</summary>
public sealed class FeedForwardTrainingResult
{
    /// <summary>Why training stopped.</summary>
    public required FeedForwardStopReason StopReason { get; init; }

    /// <summary>The stop reason in MATLAB's words, e.g. "Validation stop.".</summary>
    public string StopMessage => StopReason switch
    {
        FeedForwardStopReason.PerformanceGoal => "Performance goal met.",
        FeedForwardStopReason.MaximumEpochs => "Maximum epoch reached.",
        FeedForwardStopReason.MinimumGradient => "Minimum gradient reached.",
        FeedForwardStopReason.MaximumMu => "Maximum mu reached.",
        FeedForwardStopReason.TimeLimit => "Maximum time elapsed.",
        FeedForwardStopReason.ValidationStop => "Validation stop.",
        _ => StopReason.ToString(),
    };

    /// <summary>
    /// True when the epoch limit stopped training and no other stop condition (goal, gradient, mu, validation) held at
    /// that epoch: with a larger limit training would have gone on. False when training ended on its own — also when it
    /// reached the limit at the very epoch validation (or another condition) would have stopped it, where a larger limit
    /// trains the same network.
    /// </summary>
    public bool StoppedByEpochLimitOnly { get; init; }

    /// <summary>The last epoch run (the number of weight updates attempted).</summary>
    public required int Epochs { get; init; }

    /// <summary>The epoch whose weights were kept: the best validation epoch when there is a validation set, else the last.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Training MSE of the returned weights.</summary>
    public required double Performance { get; init; }

    /// <summary>Validation MSE of the returned weights, or NaN without a validation set.</summary>
    public required double ValidationPerformance { get; init; }

    /// <summary>Test MSE of the returned weights when a test set was given (by <see cref="FeedForwardNetwork.Train(Tensors.Tensor, Tensors.Tensor, FeedForwardTrainer?, DataDivision?, IProgress{FeedForwardTrainingProgress}?, CancellationToken)"/>), else NaN.</summary>
    public double TestPerformance { get; init; } = double.NaN;

    /// <summary>Every epoch's progress record, epoch 0 first.</summary>
    public required IReadOnlyList<FeedForwardTrainingProgress> History { get; init; }

    /// <summary>Wall time of the training.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{StopMessage} Epoch {Epochs}, best {BestEpoch}, perf {Performance:G4}, val {ValidationPerformance:G4}, {Elapsed.TotalMilliseconds:F1} ms";
}
