using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Text;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Models;

/// <summary>
/// A network: a directed acyclic graph of layers from input nodes to output nodes, with the Keras-style surface
/// (<c>Compile</c>, <c>Fit</c>, <c>Evaluate</c>, <c>Predict</c>, <c>Summary</c>, <c>Save</c>, <c>Load</c>).
/// Build one with the functional API (<c>new Model(inputs, outputs)</c>) or use <see cref="Sequential"/> for a chain.
/// </summary>
/// <remarks>
/// Layers run in topological order. The backward pass visits them in reverse, sums the gradients of a node that feeds
/// several layers, and skips every layer whose inputs need no gradient: a layer fed only by model inputs (or by
/// frozen layers) gets <see cref="Layer.NeedsInputGradient"/> false, and a frozen sub-graph is not back-propagated at
/// all. Parameters are named <c>{layer}.{parameter}</c> (PyTorch state-dict style); unnamed layers get unique default
/// names such as <c>conv2d</c>, <c>conv2d_1</c>.
/// </remarks>
public partial class Model
{
    private Node[] _inputs = [];
    private Node[] _outputs = [];
    private Layer[] _layers = [];
    private Step[] _steps = [];
    private int[] _inputSlots = [];
    private int[] _outputSlots = [];
    private Tensor?[] _values = [];
    private Tensor?[] _grads = [];
    private Tensor?[] _accumulators = [];
    private int[] _contributions = [];
    private int[] _received = [];
    private bool[] _requiresGrad = [];
    private Tensor[] _forwardOutputs = [];
    private Parameter[] _parameters = [];
    private (string Name, Tensor Value, Parameter? Parameter)[] _weights = [];
    private readonly GradientPool _gradientPool = new();

    /// <summary>Creates a functional model with one input and one output.</summary>
    public Model(Node input, Node output) : this([input], [output]) { }

    /// <summary>Creates a functional model from its input and output nodes.</summary>
    /// <exception cref="ArgumentException">The graph is not valid (an output depends on an input not listed, a layer
    /// is used twice, two layers have the same name); the message says which.</exception>
    public Model(IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs) => InitializeGraph(inputs, outputs);

    /// <summary>For subclasses that build their graph later (see <see cref="Sequential"/>).</summary>
    protected Model() { }

    /// <summary>
    /// The seed for shuffling and validation splitting in <c>Fit</c> when Fit is given none (and, for
    /// <see cref="Sequential"/>, of the initial weights). Default 0.
    /// </summary>
    public int Seed { get; set; }

    /// <summary>True once the graph exists (a Sequential is built on first use or by <c>Build</c>).</summary>
    public bool IsBuilt => _steps.Length > 0 || _inputs.Length > 0;

    /// <summary>The layers in execution (topological) order.</summary>
    public virtual IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The input nodes.</summary>
    public IReadOnlyList<Node> Inputs => _inputs;

    /// <summary>The output nodes.</summary>
    public IReadOnlyList<Node> Outputs => _outputs;

    /// <summary>Every parameter (trainable or frozen), in layer order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Set by a callback to end <c>Fit</c> after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>Creates the execution plan for a graph; called by the constructors and by subclasses once they know it.</summary>
    protected void InitializeGraph(IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0) throw new ArgumentException("A model needs at least one input node.", nameof(inputs));
        if (outputs.Count == 0) throw new ArgumentException("A model needs at least one output node.", nameof(outputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null || !inputs[i].IsInput)
            {
                throw new ArgumentException($"Model input {i} is not an input node; create inputs with Input.Create(shape).", nameof(inputs));
            }
        }
        if (inputs.Distinct().Count() != inputs.Count) throw new ArgumentException("The same input node is listed twice.", nameof(inputs));

        // Post-order depth-first search from the outputs gives a topological order of exactly the nodes that matter.
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var order = new List<Node>();
        foreach (var input in inputs)
        {
            index[input] = order.Count;
            order.Add(input);
        }
        var visiting = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        void Visit(Node node)
        {
            if (index.ContainsKey(node)) return;
            if (node.IsInput)
            {
                throw new ArgumentException(
                    $"The outputs depend on input {node}, which is not among the model's inputs.", nameof(inputs));
            }
            if (!visiting.Add(node)) throw new ArgumentException("The graph has a cycle.", nameof(outputs));
            foreach (var child in node.Inputs) Visit(child);
            visiting.Remove(node);
            index[node] = order.Count;
            order.Add(node);
        }
        foreach (var output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output, nameof(outputs));
            Visit(output);
        }

        var layers = order.Where(n => !n.IsInput).Select(n => n.Layer!).ToArray();
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        foreach (var layer in layers)
        {
            if (!seen.Add(layer))
            {
                throw new ArgumentException(
                    $"Layer '{layer.Name ?? layer.TypeName}' is called more than once in the graph; a layer instance can appear once " +
                    "in a model (create another layer to apply the same operation twice).", nameof(outputs));
            }
        }
        AssignNames(inputs, layers);

        int count = order.Count;
        var edgeCount = new int[count];
        var steps = new List<Step>();
        foreach (var node in order)
        {
            if (node.IsInput) continue;
            var slots = node.Inputs.Select(n => index[n]).ToArray();
            foreach (int s in slots) edgeCount[s]++;
            steps.Add(new Step(node.Layer!, index[node], slots));
        }
        var unusedInput = inputs.FirstOrDefault(i => edgeCount[index[i]] == 0 && !outputs.Contains(i));
        if (unusedInput is not null)
        {
            throw new ArgumentException($"Input '{unusedInput.InputName}' is not used by any output.", nameof(inputs));
        }

        _inputs = inputs.ToArray();
        _outputs = outputs.ToArray();
        _layers = layers;
        _steps = steps.ToArray();
        _inputSlots = _inputs.Select(n => index[n]).ToArray();
        _outputSlots = _outputs.Select(n => index[n]).ToArray();
        _values = new Tensor?[count];
        _grads = new Tensor?[count];
        _accumulators = new Tensor?[count];
        _contributions = edgeCount;
        foreach (int s in _outputSlots) _contributions[s]++;
        _received = new int[count];
        _requiresGrad = new bool[count];
        _forwardOutputs = new Tensor[_outputs.Length];
        _parameters = layers.SelectMany(l => l.Parameters).ToArray();
        foreach (var layer in layers) layer.GradientPool = _gradientPool;
        _weights = layers.SelectMany(l =>
                l.Parameters.Select(p => ($"{l.Name}.{p.Name}", p.Value, (Parameter?)p))
                 .Concat(l.Buffers.Select(b => ($"{l.Name}.{b.Name}", b.Value, (Parameter?)null))))
            .ToArray();
        UpdateGradientFlags();
    }

    /// <summary>
    /// Recomputes which layers need a backward pass and which need their input gradient, from the layers'
    /// <see cref="Layer.Trainable"/> flags. <c>Fit</c> calls it, so freezing a layer between fits takes effect.
    /// </summary>
    public void UpdateGradientFlags()
    {
        Array.Clear(_requiresGrad);
        foreach (var step in _steps)
        {
            bool inputsNeed = false;
            foreach (int s in step.InputSlots) inputsNeed |= _requiresGrad[s];
            step.Layer.NeedsInputGradient = inputsNeed;
            step.RequiresBackward = inputsNeed || step.Layer.Parameters.Any(p => p.Trainable);
            _requiresGrad[step.OutputSlot] = step.RequiresBackward;
        }
    }

    /// <summary>
    /// Runs the network on a batch. The returned tensors belong to the output layers and stay valid until the next call.
    /// </summary>
    /// <param name="inputs">One tensor per model input, [N, input shape...].</param>
    /// <param name="training">True in training (dropout active, batch normalization uses and updates batch statistics).</param>
    /// <exception cref="ArgumentException">An input has the wrong shape; the message names the input.</exception>
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureGraph();
        if (inputs.Count != _inputs.Length)
        {
            throw new ArgumentException($"The model has {_inputs.Length} input(s) but was given {inputs.Count}.", nameof(inputs));
        }
        int batch = -1;
        for (int i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i];
            var shape = _inputs[i].Shape;
            if (x.Rank != shape.Length + 1 || !x.Shape[1..].SequenceEqual(shape))
            {
                throw new ArgumentException(
                    $"Input '{_inputs[i].InputName}' must have shape [N, {string.Join(", ", shape)}] but has {x.ShapeString}.", nameof(inputs));
            }
            if (batch >= 0 && x.Dim(0) != batch)
            {
                throw new ArgumentException($"The inputs have different batch sizes ({batch} and {x.Dim(0)}).", nameof(inputs));
            }
            batch = x.Dim(0);
            _values[_inputSlots[i]] = x;
        }
        foreach (var step in _steps)
        {
            for (int j = 0; j < step.InputSlots.Length; j++) step.Arguments[j] = _values[step.InputSlots[j]]!;
            _values[step.OutputSlot] = step.Layer.ForwardAll(step.Arguments, training);
        }
        for (int i = 0; i < _outputSlots.Length; i++) _forwardOutputs[i] = _values[_outputSlots[i]]!;
        return _forwardOutputs;
    }

    /// <summary>Runs a single-input, single-output network on a batch (see <see cref="Forward(IReadOnlyList{Tensor}, bool)"/>).</summary>
    public Tensor Forward(Tensor input, bool training = false)
    {
        _singleInput[0] = input;
        var outputs = Forward(_singleInput, training);
        if (outputs.Count != 1) throw new InvalidOperationException($"The model has {outputs.Count} outputs; use Forward(IReadOnlyList<Tensor>).");
        return outputs[0];
    }
    private readonly Tensor[] _singleInput = new Tensor[1];
    private readonly Tensor[] _singleGradient = new Tensor[1];

    /// <summary>
    /// Back-propagates dLoss/dOutput through the graph after a <c>Forward(..., training: true)</c> on the same batch,
    /// setting every trainable parameter's <see cref="Parameter.Gradient"/>.
    /// </summary>
    /// <param name="outputGradients">One gradient per model output, shaped like that output.</param>
    public void Backward(IReadOnlyList<Tensor> outputGradients)
    {
        ArgumentNullException.ThrowIfNull(outputGradients);
        EnsureGraph();
        if (outputGradients.Count != _outputSlots.Length)
        {
            throw new ArgumentException($"The model has {_outputSlots.Length} output(s) but was given {outputGradients.Count} gradient(s).");
        }
        Array.Clear(_grads);
        Array.Clear(_received);
        _gradientPool.ReleaseAll();
        try
        {
            BackwardSteps(outputGradients);
        }
        finally
        {
            _gradientPool.ReleaseAll();
            Array.Clear(_grads);
        }
    }

    private void BackwardSteps(IReadOnlyList<Tensor> outputGradients)
    {
        for (int i = 0; i < _outputSlots.Length; i++)
        {
            if (_forwardOutputs[i] is { } forward && !outputGradients[i].HasShape(forward.Shape))
            {
                throw new ArgumentException($"The gradient of output {i} must have shape {forward.ShapeString} but has {outputGradients[i].ShapeString}.");
            }
            Accumulate(_outputSlots[i], outputGradients[i]);
        }
        for (int s = _steps.Length - 1; s >= 0; s--)
        {
            var step = _steps[s];
            if (!step.RequiresBackward) continue;
            var g = _grads[step.OutputSlot];
            if (g is null) continue;
            var inputGradients = step.Layer.BackwardAll(g);
            for (int j = 0; j < step.InputSlots.Length; j++)
            {
                int slot = step.InputSlots[j];
                if (!_requiresGrad[slot]) continue;
                var ig = inputGradients[j] ?? throw new InvalidOperationException(
                    $"Layer '{step.Layer.Name}' ({step.Layer.TypeName}) returned no gradient for input {j}, which needs one.");
                Accumulate(slot, ig);
            }
            // This step's output gradient is consumed; input gradients summed into an accumulator are too.
            _gradientPool.Release(g);
            for (int j = 0; j < inputGradients.Count; j++)
            {
                if (inputGradients[j] is { } ig) _gradientPool.FreeIfUnreferenced(ig);
            }
        }
    }

    /// <summary>Back-propagates the gradient of a single-output network.</summary>
    public void Backward(Tensor outputGradient)
    {
        _singleGradient[0] = outputGradient;
        Backward(_singleGradient);
    }

    private void Accumulate(int slot, Tensor gradient)
    {
        // A node with one gradient contribution passes the tensor through; with several (a node read by several layers,
        // or an output also read by a layer) the contributions are summed into the node's own buffer.
        if (_contributions[slot] <= 1)
        {
            _grads[slot] = gradient;
            _gradientPool.AddReference(gradient);
            _received[slot]++;
            return;
        }
        if (_received[slot] == 0)
        {
            var buffer = Tensor.Reuse(ref _accumulators[slot], gradient.Shape);
            gradient.CopyTo(buffer);
            _grads[slot] = buffer;
        }
        else
        {
            var sum = _grads[slot]!;
            if (!sum.HasShape(gradient.Shape))
            {
                throw new InvalidOperationException($"Gradients of shapes {sum.ShapeString} and {gradient.ShapeString} meet at one node.");
            }
            TensorPrimitives.Add(sum.Span, gradient.Span, sum.Span);
        }
        _received[slot]++;
    }

    /// <summary>
    /// Recomputes the running mean and variance of every batch normalization layer as the plain average of the batch
    /// statistics over <paramref name="inputBatches"/> ("precise BN"), instead of the exponential average training left.
    /// </summary>
    /// <remarks>
    /// Networks such as MobileNet V3 use a small momentum (0.01); trained from scratch for a few hundred steps their
    /// running statistics still lag far behind the weights and evaluation scores near chance. One forward pass in training
    /// mode per batch fixes that. Parameters are not changed; each layer's momentum is restored afterwards.
    /// </remarks>
    /// <param name="inputBatches">Batches of the single model input, e.g. training images without augmentation.</param>
    /// <param name="cancellationToken">Stops between batches (the statistics then average the batches seen).</param>
    /// <returns>The number of batches used.</returns>
    public int RecalibrateBatchNormalization(IEnumerable<Tensor> inputBatches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputBatches);
        EnsureGraph();
        var layers = _layers.OfType<BatchNormalization>().ToArray();
        if (layers.Length == 0) return 0;
        var momenta = layers.Select(l => l.Momentum).ToArray();
        int count = 0;
        try
        {
            foreach (var batch in inputBatches)
            {
                if (cancellationToken.IsCancellationRequested) break;
                // Momentum 1/(k+1) at batch k makes the running value the mean of the k+1 batch statistics so far.
                foreach (var layer in layers) layer.Momentum = 1f / (count + 1);
                Forward(batch, training: true);
                count++;
            }
        }
        finally
        {
            for (int i = 0; i < layers.Length; i++) layers[i].Momentum = momenta[i];
        }
        return count;
    }

    /// <summary>The named weights: each parameter then each buffer of every layer, named <c>{layer}.{name}</c>.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> StateDict()
    {
        EnsureGraph();
        return _weights.Select(w => (w.Name, w.Value)).ToArray();
    }

    /// <summary>Copies of all weights (parameters and buffers) in <see cref="StateDict"/> order.</summary>
    public IReadOnlyList<Tensor> GetWeights()
    {
        EnsureGraph();
        return _weights.Select(w => w.Value.Clone()).ToArray();
    }

    /// <summary>Copies <paramref name="weights"/> (as returned by <see cref="GetWeights"/>) into the model.</summary>
    /// <exception cref="ArgumentException">The count or a shape differs; the message names the weight.</exception>
    public void SetWeights(IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        EnsureGraph();
        if (weights.Count != _weights.Length)
        {
            throw new ArgumentException($"The model has {_weights.Length} weight tensors but {weights.Count} were given.", nameof(weights));
        }
        for (int i = 0; i < weights.Count; i++) weights[i].CheckShape(_weights[i].Value.Shape, $"Weight '{_weights[i].Name}'");
        for (int i = 0; i < weights.Count; i++) weights[i].CopyTo(_weights[i].Value);
    }

    /// <summary>
    /// Copies named tensors into the model's weights. Every problem (a missing name, an unexpected name, a shape
    /// mismatch) is collected and reported together.
    /// </summary>
    /// <param name="tensors">Tensors by <c>{layer}.{name}</c>.</param>
    /// <param name="strict">When false, missing and unexpected names are ignored (shape mismatches are still errors).</param>
    /// <param name="source">Names the origin in error messages (e.g. a file path).</param>
    /// <exception cref="InvalidDataException">Lists every mismatch, missing and unexpected name.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> tensors, bool strict = true, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureGraph();
        var problems = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value, _) in _weights)
        {
            expected.Add(name);
            if (!tensors.TryGetValue(name, out var t))
            {
                if (strict) problems.Add($"missing '{name}' (expected shape {value.ShapeString})");
            }
            else if (!t.HasShape(value.Shape))
            {
                problems.Add($"'{name}' has shape {t.ShapeString} but the model expects {value.ShapeString}");
            }
        }
        if (strict)
        {
            foreach (var name in tensors.Keys.Where(k => !expected.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            {
                problems.Add($"unexpected '{name}' {tensors[name].ShapeString}");
            }
        }
        if (problems.Count > 0)
        {
            var sb = new StringBuilder($"The weights{(source is null ? "" : $" in '{source}'")} do not fit the model ({problems.Count} problem(s)):");
            foreach (var p in problems) sb.Append("\n  - ").Append(p);
            throw new InvalidDataException(sb.ToString());
        }
        foreach (var (name, value, _) in _weights)
        {
            if (tensors.TryGetValue(name, out var t)) t.CopyTo(value);
        }
    }

    /// <summary>Builds the graph when it does not exist yet, from the per-sample shape of the data (Sequential).</summary>
    /// <param name="sampleShape">The per-sample shape of the first input.</param>
    protected virtual void EnsureBuilt(ReadOnlySpan<int> sampleShape) => EnsureGraph();

    private void EnsureGraph()
    {
        if (_inputs.Length == 0)
        {
            throw new InvalidOperationException(
                "The model is not built yet: call Build(inputShape) on a Sequential, or pass data to Fit/Predict first.");
        }
    }

    private void AssignNames(IReadOnlyList<Node> inputs, Layer[] layers)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (layer.Name is null) continue;
            if (!used.Add(layer.Name))
            {
                throw new ArgumentException($"Two layers are named '{layer.Name}'; layer names must be unique within a model.");
            }
        }
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        string Unique(string stem)
        {
            counters.TryGetValue(stem, out int k);
            while (true)
            {
                string candidate = k == 0 ? stem : $"{stem}_{k}";
                k++;
                if (used.Add(candidate))
                {
                    counters[stem] = k;
                    return candidate;
                }
            }
        }
        foreach (var layer in layers)
        {
            layer.Name ??= Unique(DefaultName(layer.TypeName));
        }
        foreach (var input in inputs)
        {
            if (input.InputName is not null && !used.Add(input.InputName))
            {
                throw new ArgumentException($"Input name '{input.InputName}' is also used by another input or layer.");
            }
        }
        foreach (var input in inputs) input.InputName ??= Unique("input");
    }

    /// <summary>Keras-style snake_case of a type name: Conv2D → conv2d, BatchNormalization → batch_normalization.</summary>
    internal static string DefaultName(string typeName)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < typeName.Length; i++)
        {
            char c = typeName[i];
            if (char.IsUpper(c) && i > 0)
            {
                char prev = typeName[i - 1];
                bool nextLower = i + 1 < typeName.Length && char.IsLower(typeName[i + 1]);
                if (char.IsLower(prev) || (char.IsUpper(prev) && nextLower) || (char.IsDigit(prev) && nextLower)) sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private sealed class Step(Layer layer, int outputSlot, int[] inputSlots)
    {
        public Layer Layer { get; } = layer;
        public int OutputSlot { get; } = outputSlot;
        public int[] InputSlots { get; } = inputSlots;
        public Tensor[] Arguments { get; } = new Tensor[inputSlots.Length];
        public bool RequiresBackward { get; set; }
    }
}
