using System.Collections;
using System.Text.Json.Nodes;
using MLNet.Nets.Data;

namespace MLNet.Nets;

/// <summary>
/// Fitted pipeline steps applied in order; what <see cref="EstimatorChain{TLastTransformer}.Fit"/> returns and what a
/// model file holds. <see cref="LastTransformer"/> is typically the trainer's transformer (with the trained network).
/// </summary>
/// <typeparam name="TLastTransformer">The type of the last step.</typeparam>
[TransformerLoader("TransformerChain")]
public sealed class TransformerChain<TLastTransformer> : ITransformer, IReadOnlyList<ITransformer> where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _steps;

    /// <summary>A chain of the given steps (at least one; the last must be a <typeparamref name="TLastTransformer"/>).</summary>
    public TransformerChain(params ITransformer[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Length == 0) throw new ArgumentException("A transformer chain needs at least one step.", nameof(steps));
        if (steps.Any(s => s is null)) throw new ArgumentException("A transformer chain step is null.", nameof(steps));
        if (steps[^1] is not TLastTransformer) throw new ArgumentException($"The last step is a {steps[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(steps));
        _steps = steps;
    }

    /// <summary>The last step.</summary>
    public TLastTransformer LastTransformer => (TLastTransformer)_steps[^1];

    /// <summary>Number of steps.</summary>
    public int Count => _steps.Length;

    /// <summary>Step <paramref name="index"/>.</summary>
    public ITransformer this[int index] => _steps[index];

    /// <summary>This chain followed by <paramref name="next"/>.</summary>
    public TransformerChain<TNext> Append<TNext>(TNext next) where TNext : class, ITransformer =>
        new([.. _steps, next ?? throw new ArgumentNullException(nameof(next))]);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var schema = inputSchema;
        foreach (var step in _steps) schema = step.GetOutputSchema(schema);
        return schema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        var view = input;
        foreach (var step in _steps) view = step.Transform(view);
        return view;
    }

    /// <inheritdoc/>
    public void Save(ModelSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Config["count"] = _steps.Length;
        for (int i = 0; i < _steps.Length; i++) context.WriteTransformer($"step{i}", _steps[i]);
    }

    /// <summary>Reads a chain written by <see cref="Save"/>.</summary>
    public static TransformerChain<TLastTransformer> Load(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int count = context.Get<int>("count");
        if (count < 1 || count > 10_000) throw new InvalidDataException($"Model file '{context.Source}': a chain has {count} steps.");
        var steps = new ITransformer[count];
        for (int i = 0; i < count; i++) steps[i] = context.ReadTransformer($"step{i}");
        return new TransformerChain<TLastTransformer>(steps);
    }

    /// <inheritdoc/>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_steps).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
