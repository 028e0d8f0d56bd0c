using MLNet.Nets.Losses;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

/// <summary>
/// A quantity reported during training and evaluation besides the loss, accumulated over batches: call
/// <see cref="Reset"/>, then <see cref="Update"/> per batch, then read <see cref="Result"/>.
/// </summary>
public abstract class Metric
{
    /// <summary>The name used in logs and histories (<c>accuracy</c>, <c>mae</c>, <c>mse</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Clears the accumulated state.</summary>
    public abstract void Reset();

    /// <summary>Adds a batch: <paramref name="prediction"/> [N, ...] and <paramref name="target"/> as given to the loss.</summary>
    public abstract void Update(Tensor prediction, Tensor target);

    /// <summary>The value over all batches since <see cref="Reset"/> (NaN before any sample).</summary>
    public abstract float Result { get; }

    /// <summary>
    /// Creates a metric from its name: <c>accuracy</c> (or <c>acc</c>), <c>mae</c>, <c>mse</c>. The loss tells accuracy
    /// how to read predictions (class index, one-hot, or binary with a logit or probability threshold).
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static Metric FromName(string name, Loss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "accuracy" or "acc" => new AccuracyMetric(loss is BinaryCrossEntropy { FromLogits: true } ? 0f : 0.5f),
            "mae" or "mean_absolute_error" => new MeanAbsoluteErrorMetric(),
            "mse" or "mean_squared_error" => new MeanSquaredErrorMetric(),
            _ => throw new ArgumentException($"Unknown metric '{name}'. Known: accuracy, mae, mse.", nameof(name)),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}={Result:G5}";
}
