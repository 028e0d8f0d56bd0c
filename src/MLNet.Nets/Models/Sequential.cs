using MLNet.Nets.Layers;
using MLNet.Nets.Training;

namespace MLNet.Nets.Models;

/// <summary>
/// A chain of layers, each fed by the previous one: the common case of <see cref="Model"/>.
/// </summary>
/// <remarks>
/// The network is built (shapes checked, weights created from <see cref="Model.Seed"/>) by <see cref="Build(int[])"/>,
/// by the constructor that takes an input shape, or on the first <c>Fit</c>/<c>Predict</c> from the data's shape.
/// </remarks>
/// <example>
/// <code>
/// var lenet = new Sequential(
///     new Conv2D(6, kernelSize: 5, padding: Padding.Same, activation: Activation.ReLU), new MaxPool2D(2),
///     new Conv2D(16, kernelSize: 5, activation: Activation.ReLU), new MaxPool2D(2),
///     new Flatten(), new Dense(120, Activation.ReLU), new Dense(84, Activation.ReLU), new Dense(10));
/// lenet.Compile(new Adam(1e-3f), new SparseCategoricalCrossEntropy(), "accuracy");
/// lenet.Fit(images, labels, batchSize: 64, epochs: 3);
/// </code>
/// </example>
public class Sequential : Model
{
    private readonly List<Layer> _chain = [];

    /// <summary>Creates a sequential model of <paramref name="layers"/>; it is built on first use.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Creates and builds a sequential model for samples of <paramref name="inputShape"/> (no batch axis).</summary>
    /// <param name="inputShape">Per-sample input shape, e.g. [1, 28, 28].</param>
    /// <param name="seed">Seed of the initial weights (and the default shuffling seed).</param>
    /// <param name="layers">The layers in order.</param>
    public Sequential(int[] inputShape, int seed, params Layer[] layers) : this(layers)
    {
        Seed = seed;
        Build(inputShape);
    }

    /// <summary>The layers in order.</summary>
    public override IReadOnlyList<Layer> Layers => _chain;

    /// <summary>Appends a layer. On a built model the layer is built at once on the current output.</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (_chain.Any(l => ReferenceEquals(l, layer)))
        {
            throw new ArgumentException($"Layer '{layer.Name ?? layer.TypeName}' is already in this model.", nameof(layer));
        }
        _chain.Add(layer);
        if (IsBuilt)
        {
            var input = Inputs[0];
            BuildChain(input, new Random(Seeds.Combine(Seed, _chain.Count)), from: _chain.Count - 1, last: Outputs[0]);
        }
    }

    /// <summary>Builds the model for samples of <paramref name="inputShape"/> (no batch axis), with weights drawn from
    /// <see cref="Model.Seed"/>. Building again with the same shape does nothing.</summary>
    /// <exception cref="ArgumentException">A layer does not accept its input shape (the message names the layer).</exception>
    public Sequential Build(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (IsBuilt)
        {
            if (!Inputs[0].Shape.AsSpan().SequenceEqual(inputShape))
            {
                throw new ArgumentException(
                    $"The model was built for input [{string.Join(", ", Inputs[0].Shape)}] and cannot take [{string.Join(", ", inputShape)}].");
            }
            return this;
        }
        if (_chain.Count == 0) throw new InvalidOperationException("A Sequential model needs at least one layer.");
        var input = Input.Create(inputShape, Seed);
        BuildChain(input, random: null, from: 0, last: input);
        return this;
    }

    /// <inheritdoc />
    protected override void EnsureBuilt(ReadOnlySpan<int> sampleShape)
    {
        if (!IsBuilt) Build(sampleShape.ToArray());
    }

    private void BuildChain(Node input, Random? random, int from, Node last)
    {
        var node = last;
        for (int i = from; i < _chain.Count; i++)
        {
            node = random is null ? _chain[i].Call(node) : CallWith(_chain[i], node, random);
        }
        InitializeGraph([input], [node]);
    }

    private static Node CallWith(Layer layer, Node node, Random random)
    {
        // A layer appended after building draws from its own generator so earlier layers' weights stay as they were.
        layer.Build([node.Shape], random);
        return layer.Call(node);
    }
}
