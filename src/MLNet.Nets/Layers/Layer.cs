using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// A building block of a network: forward pass, backward pass, parameters and configuration.
/// </summary>
/// <remarks>
/// Contract every layer follows:
/// <list type="bullet">
/// <item>Shapes given to <see cref="Build"/> and returned as <see cref="OutputShape"/> are per sample (no batch axis);
/// tensors given to <see cref="ForwardAll"/> carry the batch as axis 0 (NCHW for images).</item>
/// <item>The tensor <see cref="ForwardAll"/> returns belongs to the layer and stays valid until its next forward call;
/// layers reuse their buffers so that a training step allocates nothing in steady state.</item>
/// <item><see cref="BackwardAll"/> follows a <c>ForwardAll(..., training: true)</c> on the same batch. It overwrites each
/// trainable parameter's <see cref="Parameter.Gradient"/> (no zeroing between steps) and returns dLoss/dInput for each
/// input, or null for an input whose gradient is not needed (<see cref="NeedsInputGradient"/> false).</item>
/// <item>A layer instance appears once in a model. Every layer type has a public static <c>FromConfig(LayerConfig)</c>
/// that rebuilds it from <see cref="GetConfig"/>.</item>
/// </list>
/// </remarks>
public abstract class Layer
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private IReadOnlyList<int[]>? _inputShapes;
    private int[]? _outputShape;
    private bool _trainable = true;
    private Tensor?[] _inputGradients = [];

    /// <summary>Creates a layer; a null name is replaced by a unique one when the layer joins a model.</summary>
    protected Layer(string? name = null) => Name = name;

    /// <summary>The layer's name, unique within a model (used in summaries, errors and weight names).</summary>
    public string? Name { get; set; }

    /// <summary>The type name written to model manifests; by default the class name.</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>False freezes the layer: its parameters get no gradient and are not updated. Default true.</summary>
    public bool Trainable
    {
        get => _trainable;
        set
        {
            _trainable = value;
            foreach (var p in _parameters) p.Trainable = value;
        }
    }

    /// <summary>
    /// False when the gradient with respect to the layer's inputs is not needed (for example, the first layer of a
    /// model); the backward pass then skips that work and returns null. Set by the model. Default true.
    /// </summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>True once <see cref="Build"/> has created the parameters.</summary>
    public bool IsBuilt => _outputShape is not null;

    /// <summary>The per-sample input shapes the layer was built for.</summary>
    public IReadOnlyList<int[]> InputShapes => _inputShapes ?? throw NotBuilt();

    /// <summary>The per-sample output shape.</summary>
    public int[] OutputShape => _outputShape ?? throw NotBuilt();

    /// <summary>The trainable tensors, in the order a state dict lists them.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Non-trainable state saved with the weights (e.g. batch normalization's running mean and variance).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Buffers => _buffers;

    /// <summary>Number of elements in <see cref="Parameters"/>.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Length);

    /// <summary>
    /// Creates the parameters for the given per-sample input shapes and returns the per-sample output shape.
    /// Building twice with the same shapes is a no-op; with other shapes it is an error.
    /// </summary>
    /// <param name="inputShapes">One shape per input, without the batch axis.</param>
    /// <param name="random">Source of the initial weights (seeded by the model for reproducibility).</param>
    public int[] Build(IReadOnlyList<int[]> inputShapes, Random random)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (_outputShape is not null)
        {
            if (!SameShapes(inputShapes, _inputShapes!))
            {
                throw new InvalidOperationException(
                    $"Layer '{Name}' was built for input {Describe(_inputShapes!)} and cannot take {Describe(inputShapes)}.");
            }
            return _outputShape;
        }
        var copies = inputShapes.Select(s => (int[])s.Clone()).ToArray();
        _outputShape = OnBuild(copies, random);
        _inputShapes = copies;
        foreach (var p in _parameters) p.Trainable = _trainable;
        return _outputShape;
    }

    /// <summary>Checks the input shapes, creates parameters and buffers, and returns the per-sample output shape.</summary>
    protected abstract int[] OnBuild(IReadOnlyList<int[]> inputShapes, Random random);

    /// <summary>Computes the output for a batch. See the class remarks for buffer ownership.</summary>
    public abstract Tensor ForwardAll(IReadOnlyList<Tensor> inputs, bool training);

    /// <summary>Back-propagates <paramref name="outputGradient"/>; see the class remarks.</summary>
    public abstract IReadOnlyList<Tensor?> BackwardAll(Tensor outputGradient);

    /// <summary>The layer's hyper-parameters (not its weights), enough for <c>FromConfig</c> to rebuild it.</summary>
    public abstract LayerConfig GetConfig();

    /// <summary>Registers a parameter; call from <see cref="OnBuild"/>.</summary>
    protected Parameter AddParameter(string name, Tensor value)
    {
        var p = new Parameter(name, value);
        _parameters.Add(p);
        return p;
    }

    /// <summary>Registers a non-trainable buffer saved with the weights; call from <see cref="OnBuild"/>.</summary>
    protected Tensor AddBuffer(string name, Tensor value)
    {
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Set by the model the layer belongs to: where input-gradient buffers come from during its backward pass.</summary>
    internal Models.GradientPool? GradientPool { get; set; }

    /// <summary>
    /// A buffer for dLoss/d(input <paramref name="index"/>) of <paramref name="shape"/>, contents unspecified (overwrite
    /// it). Inside a model it comes from the model's pool and is reused as soon as the layer below has consumed it, so
    /// input gradients do not each hold memory for the whole run; a layer used on its own keeps one per input.
    /// </summary>
    protected internal Tensor InputGradientBuffer(int index, params ReadOnlySpan<int> shape)
    {
        if (GradientPool is { } pool) return pool.Rent(shape);
        if (_inputGradients.Length <= index) Array.Resize(ref _inputGradients, index + 1);
        return Tensor.Reuse(ref _inputGradients[index], shape);
    }

    /// <summary>An error for a forward input whose shape differs from the built one.</summary>
    protected ArgumentException InputShapeError(int index, Tensor input) =>
        new($"Layer '{Name}' ({TypeName}) expects input {index} of shape [N, {string.Join(", ", InputShapes[index])}] " +
            $"but got {input.ShapeString}.");

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({TypeName})";

    private InvalidOperationException NotBuilt() =>
        new($"Layer '{Name}' ({TypeName}) has not been built yet; add it to a model or call Build first.");

    private static bool SameShapes(IReadOnlyList<int[]> a, IReadOnlyList<int[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    private static string Describe(IReadOnlyList<int[]> shapes) =>
        string.Join(" and ", shapes.Select(s => Tensor.FormatShape(s)));
}
