namespace MLNet.Nets.Trainers;

/// <summary>The record of a back-propagation training run.</summary>
public sealed class BackPropagationTrainingSummary
{
    internal BackPropagationTrainingSummary(TrainingAlgorithm algorithm, int epochs, int bestEpoch, string stopReason,
        double[] loss, double[] validationLoss, TimeSpan elapsed, bool stoppedByEpochLimitOnly)
    {
        StoppedByEpochLimitOnly = stoppedByEpochLimitOnly;
        Algorithm = algorithm;
        Epochs = epochs;
        BestEpoch = bestEpoch;
        StopReason = stopReason;
        Loss = loss;
        ValidationLoss = validationLoss;
        Elapsed = elapsed;
    }

    /// <summary>The algorithm used.</summary>
    public TrainingAlgorithm Algorithm { get; }

    /// <summary>Epochs run.</summary>
    public int Epochs { get; }

    /// <summary>The epoch whose weights were kept (the best validation epoch when validating).</summary>
    public int BestEpoch { get; }

    /// <summary>Why training stopped, e.g. "Validation stop." or "Maximum epoch reached.".</summary>
    public string StopReason { get; }

    /// <summary>
    /// True when the epoch limit (<see cref="BackPropagationOptions.MaxEpochs"/>) alone stopped training: with a larger
    /// limit it would have gone on. False when it ended on its own (validation stop, goal, gradient) — also at the very
    /// epoch of the limit, in which case a larger limit trains the same network.
    /// </summary>
    public bool StoppedByEpochLimitOnly { get; }

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<double> Loss { get; }

    /// <summary>Validation loss per epoch (NaN without validation rows).</summary>
    public IReadOnlyList<double> ValidationLoss { get; }

    /// <summary>Training time.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm}: {Epochs} epochs, best {BestEpoch}, {StopReason} ({Elapsed.TotalSeconds:F2} s)";

    internal void Save(ModelSaveContext context)
    {
        context.Config["algorithm"] = Algorithm.ToString();
        context.Config["epochs"] = Epochs;
        context.Config["bestEpoch"] = BestEpoch;
        context.Config["stopReason"] = StopReason;
        context.Config["stoppedByEpochLimitOnly"] = StoppedByEpochLimitOnly;
        context.Config["elapsedSeconds"] = Elapsed.TotalSeconds;
        context.WriteArray<double>("loss", Loss.ToArray());
        context.WriteArray<double>("validationLoss", ValidationLoss.ToArray());
    }

    internal static BackPropagationTrainingSummary Load(ModelLoadContext context) => new(
        Enum.Parse<TrainingAlgorithm>(context.Get<string>("algorithm")), context.Get<int>("epochs"), context.Get<int>("bestEpoch"),
        context.Get<string>("stopReason"), context.ReadArray<double>("loss"), context.ReadArray<double>("validationLoss"),
        TimeSpan.FromSeconds(context.Get<double>("elapsedSeconds")),
        // Files saved before this flag existed: only the stop reason tells, which is exact except at the limit's own epoch.
        context.GetOrDefault("stoppedByEpochLimitOnly", context.Get<string>("stopReason") == "Maximum epoch reached."));
}
