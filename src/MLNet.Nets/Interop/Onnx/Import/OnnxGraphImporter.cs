using System.Globalization;
using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>
/// Turns an ONNX graph into a <see cref="Model"/> of this library's layers, node by node in the file's (topological)
/// order. Values are either symbolic (a <see cref="Node"/> with a batch axis) or constants (initializers, Constant
/// nodes); weights are copied into the layers, so the result trains like a model built by hand.
/// </summary>
internal sealed class OnnxGraphImporter
{
    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly OnnxImportOptions _options;
    private readonly string _source;
    private readonly long _opset;
    private readonly Dictionary<string, Node> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxConstant> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<Node, Producer> _producers = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Affine> _affine = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _materialized = new(StringComparer.Ordinal);
    private long? _declaredBatch;

    public OnnxGraphImporter(ModelProto model, OnnxImportOptions options, string source)
    {
        _model = model;
        _graph = model.Graph ?? throw new InvalidDataException($"{source} has no graph.");
        _options = options;
        _source = source;
        _opset = model.DefaultOpsetVersion ?? throw new InvalidDataException($"{source} does not import the default ONNX operator set.");
    }

    /// <summary>What made a symbolic value, for the patterns that fold several ONNX nodes into one layer.</summary>
    private sealed record Producer(string OpType, Layer Layer, Node Input);

    /// <summary>
    /// x·scale + shift per feature of an [N, F] value, from Mul and Add nodes with a constant operand (what the exporter
    /// writes for a BP network's min-max scalers). There is no layer for it: it is folded into the Dense layer it feeds
    /// (Gemm, MatMul) or follows.
    /// </summary>
    private sealed record Affine(string Source, Node X, float[] Scale, float[] Shift);

    public Model Import()
    {
        if (_opset < 11) throw new NotSupportedException($"{_source} uses operator set {_opset}; ONNX import supports 11 and newer.");
        if (_graph.HasSparseInitializers) throw new NotSupportedException($"{_source} has sparse initializers, which ONNX import does not support.");
        if (_graph.Node.Count > _options.MaxNodes)
        {
            throw new InvalidDataException($"{_source} has {_graph.Node.Count} nodes, more than the {_options.MaxNodes} allowed.");
        }
        foreach (var t in _graph.Initializer)
        {
            string name = t.Name ?? "";
            if (!_pending.TryAdd(name, t)) throw new InvalidDataException($"{_source}: initializer '{name}' appears twice.");
        }
        foreach (var node in _graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                list.Add(node);
            }
        }
        var inputs = new List<Node>();
        foreach (var info in _graph.Input)
        {
            if (_pending.ContainsKey(info.Name)) continue;
            var node = Input.Create(InputShape(info), _options.Seed, info.Name);
            _symbols[info.Name] = node;
            inputs.Add(node);
        }
        if (inputs.Count == 0) throw new InvalidDataException($"{_source}: the graph has no inputs besides its initializers.");
        foreach (var node in _graph.Node) ImportNode(node);
        var outputs = new List<Node>();
        foreach (var info in _graph.Output)
        {
            if (_affine.ContainsKey(info.Name)) outputs.Add(Materialize(info.Name, null));
            else if (_symbols.TryGetValue(info.Name, out var node)) outputs.Add(node);
            else if (IsConstant(info.Name)) throw new NotSupportedException($"{_source}: graph output '{info.Name}' is a constant, which a model cannot output.");
            else throw new InvalidDataException($"{_source}: graph output '{info.Name}' is not produced by any node.");
        }
        if (outputs.Count == 0) throw new InvalidDataException($"{_source}: the graph has no outputs.");
        try
        {
            return new Model(inputs, outputs) { Seed = _options.Seed };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{_source}: the imported graph is not a valid model: {e.Message}", e);
        }
    }

    private int[] InputShape(ValueInfoProto info)
    {
        if (_options.InputShapes is { } given && given.TryGetValue(info.Name, out var shape)) return (int[])shape.Clone();
        var type = info.Type;
        if (type is null || !type.IsTensor || type.Shape is null)
        {
            throw new NotSupportedException($"{_source}: input '{info.Name}' is not a tensor of known rank; give its shape in OnnxImportOptions.InputShapes.");
        }
        if (type.ElementType is not (TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16 or TensorDataType.Int64 or TensorDataType.Int32))
        {
            throw new NotSupportedException($"{_source}: input '{info.Name}' has element type {type.ElementType}; ONNX import supports float and integer inputs.");
        }
        var dims = type.Shape;
        if (dims.Count < 2)
        {
            throw new NotSupportedException($"{_source}: input '{info.Name}' has shape [{string.Join(", ", dims)}]; the first axis must be the batch and at least one more must follow.");
        }
        if (dims[0].Value is long b && b > 0) _declaredBatch = b;
        var result = new int[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            if (dims[i].Value is not long d || d < 1 || d > int.MaxValue)
            {
                throw new NotSupportedException($"{_source}: input '{info.Name}' has shape [{string.Join(", ", dims)}]; the dimensions after the batch must be fixed " +
                    "(give them in OnnxImportOptions.InputShapes).");
            }
            result[i - 1] = (int)d;
        }
        return result;
    }

    // ---- values ----

    private bool IsConstant(string name) => _constants.ContainsKey(name) || _pending.ContainsKey(name);

    private OnnxConstant? TryConstant(string name)
    {
        if (_constants.TryGetValue(name, out var c)) return c;
        if (!_pending.Remove(name, out var t)) return null;
        c = OnnxConstant.From(t, $"{_source}: initializer '{name}'", _options.MaxTensorElements);
        _constants[name] = c;
        return c;
    }

    private OnnxConstant Constant(NodeProto node, int index, string what)
    {
        string name = Arg(node, index) ?? throw Invalid(node, $"needs its {what} input");
        return TryConstant(name) ?? throw Unsupported(node, $"its {what} ('{name}') is computed at run time; only constant {what}s are supported");
    }

    private OnnxConstant? OptionalConstant(NodeProto node, int index, string what) =>
        Arg(node, index) is { } name ? TryConstant(name) ?? throw Unsupported(node, $"its {what} ('{name}') must be a constant") : null;

    private Node Symbol(NodeProto node, int index)
    {
        string name = Arg(node, index) ?? throw Invalid(node, $"needs input {index}");
        if (_symbols.TryGetValue(name, out var s)) return s;
        if (_affine.ContainsKey(name)) return Materialize(name, node);
        if (IsConstant(name)) throw Unsupported(node, $"input {index} ('{name}') is a constant where the layer needs a tensor computed from the model inputs");
        throw Invalid(node, $"input '{name}' is not produced by an earlier node (the graph is not in topological order?)");
    }

    private static string? Arg(NodeProto node, int index) => index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;

    private int Consumers(string value) => _consumers.TryGetValue(value, out var list) ? list.Count : 0;

    // ---- nodes ----

    private void ImportNode(NodeProto node)
    {
        if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
        {
            throw Unsupported(node, $"operators of domain '{node.Domain}' are not supported");
        }
        if (node.Output.Count == 0) throw Invalid(node, "has no output");
        var args = node.Input.Where(i => i.Length > 0).ToList();
        if (node.OpType == "Constant")
        {
            Define(node, ConstantValue(node));
            return;
        }
        if (args.Count > 0 && args.All(IsConstant))
        {
            Define(node, FoldConstant(node));
            return;
        }
        try
        {
            if (TryAffine(node)) return;
            var result = node.OpType switch
            {
                "Conv" => Conv(node),
                "ConvTranspose" => ConvTranspose(node),
                "Gemm" => Gemm(node),
                "MatMul" => MatMul(node),
                "BatchNormalization" => BatchNorm(node),
                "MaxPool" or "AveragePool" => Pool(node),
                "GlobalAveragePool" => Layer(node, new GlobalAvgPool2D(keepDims: true, name: LayerName(node)), Symbol(node, 0)),
                "GlobalMaxPool" => Layer(node, new GlobalMaxPool2D(keepDims: true, name: LayerName(node)), Symbol(node, 0)),
                "Relu" => Act(node, Activation.ReLU),
                "Sigmoid" => Act(node, Activation.Sigmoid),
                "Tanh" => Act(node, Activation.Tanh),
                "Softplus" => Act(node, Activation.Softplus),
                "HardSwish" => Act(node, Activation.HardSwish),
                "LeakyRelu" => Float(node, "alpha", 0.01f) is var a && a == 0 ? Act(node, Activation.ReLU) : Act(node, Activation.LeakyReLU, a),
                "Elu" => Float(node, "alpha", 1f) is var e && e == 0 ? Act(node, Activation.ReLU) : Act(node, Activation.ELU, e),
                "HardSigmoid" => HardSigmoid(node),
                "Clip" => Clip(node),
                "Softmax" => Softmax(node),
                "PRelu" => PRelu(node),
                "Add" or "Sum" => AddNode(node),
                "Mul" => MulNode(node),
                "Concat" => Concat(node),
                "Reshape" => ReshapeNode(node),
                "Flatten" => FlattenNode(node),
                "Dropout" => DropoutNode(node),
                "Identity" => Symbol(node, 0),
                "Cast" => CastNode(node),
                "Pad" => PadNode(node),
                "Gather" => GatherNode(node),
                _ => throw Unsupported(node, "this operator is not supported"),
            };
            _symbols[node.Output[0]] = result;
        }
        catch (ArgumentException e)
        {
            throw Invalid(node, e.Message);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or InvalidOperationException or OverflowException or InvalidCastException)
        {
            // Every check above should catch a malformed node first; this keeps a missed one a clear error, not a crash.
            throw Invalid(node, $"malformed node ({e.Message})");
        }
    }

    private void Define(NodeProto node, OnnxConstant value) => _constants[node.Output[0]] = value;

    private OnnxConstant ConstantValue(NodeProto node)
    {
        string where = $"{_source}: Constant node '{node.Name}'";
        foreach (var a in node.Attribute)
        {
            switch (a.Name)
            {
                case "value" when a.T is not null: return OnnxConstant.From(a.T, where, _options.MaxTensorElements);
                case "value_float": return OnnxConstant.OfFloats([], [a.F]);
                case "value_floats": return OnnxConstant.OfFloats([a.Floats.Count], [.. a.Floats]);
                case "value_int": return OnnxConstant.OfLongs([], [a.I]);
                case "value_ints": return OnnxConstant.OfLongs([a.Ints.Count], [.. a.Ints]);
            }
        }
        throw Unsupported(node, "only tensor, float(s) and int(s) constants are supported");
    }

    private OnnxConstant FoldConstant(NodeProto node)
    {
        var x = TryConstant(node.Input[0])!;
        switch (node.OpType)
        {
            case "Identity":
                return x;
            case "Cast":
            {
                var to = (TensorDataType)Int(node, "to", 1);
                return to is TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16
                    ? OnnxConstant.OfFloats(x.Dims, x.AsFloats())
                    : OnnxConstant.OfLongs(x.Dims, x.Floats is null ? x.Longs! : x.Floats.Select(v => (long)v).ToArray());
            }
            case "Reshape":
            {
                long[] shape = Constant(node, 1, "shape").AsLongs(Where(node));
                long volume = x.Length, known = 1;
                int inferred = -1;
                for (int i = 0; i < shape.Length; i++)
                {
                    if (shape[i] == 0 && i < x.Dims.Length) shape[i] = x.Dims[i];
                    if (shape[i] == -1) inferred = i;
                    else known *= shape[i];
                }
                if (inferred >= 0 && known > 0) shape[inferred] = volume / known;
                if (shape.Aggregate(1L, (p, d) => p * d) != volume) throw Invalid(node, $"cannot reshape {x.Length} values to [{string.Join(", ", shape)}]");
                return x.Floats is null ? OnnxConstant.OfLongs(shape, x.Longs!) : OnnxConstant.OfFloats(shape, x.Floats);
            }
            default:
                throw Unsupported(node, "this operator is not supported on constants");
        }
    }

    private Node Layer(NodeProto node, Layer layer, params Node[] inputs)
    {
        var output = layer.Call(inputs);
        _producers[output] = new Producer(node.OpType, layer, inputs[0]);
        return output;
    }

    private Node Act(NodeProto node, Activation activation, float alpha = 0) =>
        Layer(node, new ActivationLayer(activation, alpha, LayerName(node)), Symbol(node, 0));

    private Node Conv(NodeProto node)
    {
        var x = Symbol(node, 0);
        var w = Constant(node, 1, "weight");
        var b = OptionalConstant(node, 2, "bias");
        int rank = x.Shape.Length + 1;
        if (rank is not (3 or 4) || w.Dims.Length != rank) throw Unsupported(node, $"only 1-D and 2-D convolutions are supported (input [N, {string.Join(", ", x.Shape)}])");
        int spatial = rank - 2;
        int group = Count(node, "group", 1);
        int filters = (int)w.Dims[0];
        long[] kernel = w.Dims[2..];
        if (Ints(node, "kernel_shape") is { } ks && !ks.SequenceEqual(kernel)) throw Invalid(node, $"kernel_shape [{string.Join(", ", ks)}] differs from the weight's [{string.Join(", ", kernel)}]");
        long[] strides = Spatial(node, "strides", spatial, 1);
        long[] dilations = Spatial(node, "dilations", spatial, 1);
        long[] pads = ConvPads(node, x.Shape[1..], kernel, strides, dilations);
        string name = LayerName(node, Arg(node, 1));
        bool bias = b is not null;
        ConvolutionLayerBase layer;
        if (spatial == 1)
        {
            layer = new Conv1D(filters, (int)kernel[0], (int)strides[0], ((int)pads[0], (int)pads[1]), (int)dilations[0], group, bias, name: name);
        }
        else
        {
            var k = ((int)kernel[0], (int)kernel[1]);
            var s = ((int)strides[0], (int)strides[1]);
            var p = ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
            var d = ((int)dilations[0], (int)dilations[1]);
            int channels = x.Shape[0];
            layer = group > 1 && group == channels && filters % channels == 0
                ? new DepthwiseConv2D(k, s, p, filters / channels, d, bias, name: name)
                : new Conv2D(filters, k, s, p, d, group, bias, name: name);
        }
        var y = Layer(node, layer, x);
        Copy(node, w, layer.Weight.Value, "weight");
        if (b is not null) Copy(node, b, layer.Bias!.Value, "bias");
        return y;
    }

    private long[] ConvPads(NodeProto node, int[] size, long[] kernel, long[] strides, long[] dilations)
    {
        int spatial = size.Length;
        string autoPad = String(node, "auto_pad", "NOTSET");
        if (autoPad is "NOTSET")
        {
            long[] given = Ints(node, "pads") ?? new long[2 * spatial];
            if (given.Length != 2 * spatial || given.Any(p => p < 0 || p > 1 << 20)) throw Invalid(node, $"pads [{string.Join(", ", given)}] do not fit {spatial} spatial axes");
            return given;
        }
        if (autoPad == "VALID") return new long[2 * spatial];
        if (autoPad is not ("SAME_UPPER" or "SAME_LOWER")) throw Unsupported(node, $"auto_pad '{autoPad}' is not supported");
        var pads = new long[2 * spatial];
        for (int i = 0; i < spatial; i++)
        {
            long output = (size[i] + strides[i] - 1) / strides[i];
            long span = dilations[i] * (kernel[i] - 1) + 1;
            long total = Math.Max(0, (output - 1) * strides[i] + span - size[i]);
            long small = total / 2, large = total - small;
            (pads[i], pads[i + spatial]) = autoPad == "SAME_UPPER" ? (small, large) : (large, small);
        }
        return pads;
    }

    private Node ConvTranspose(NodeProto node)
    {
        var x = Symbol(node, 0);
        var w = Constant(node, 1, "weight");
        var b = OptionalConstant(node, 2, "bias");
        if (x.Shape.Length != 3 || w.Dims.Length != 4) throw Unsupported(node, "only 2-D transposed convolutions are supported");
        int group = Count(node, "group", 1);
        long[] kernel = w.Dims[2..];
        long[] strides = Spatial(node, "strides", 2, 1);
        long[] dilations = Spatial(node, "dilations", 2, 1);
        long[] outputPadding = Spatial(node, "output_padding", 2, 0, min: 0);
        long[] pads = Spatial(node, "pads", 4, 0, min: 0);
        string autoPad = String(node, "auto_pad", "NOTSET");
        long[]? outputShape = Ints(node, "output_shape");
        if (outputShape is not null || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int i = 0; i < 2; i++)
            {
                long input = x.Shape[1 + i];
                if (outputShape is not null && outputShape.Length < 2) throw Invalid(node, "output_shape needs two sizes");
                long target = outputShape is not null ? outputShape[^(2 - i)] : input * strides[i];
                long total = strides[i] * (input - 1) + outputPadding[i] + dilations[i] * (kernel[i] - 1) + 1 - target;
                if (total < 0) throw Unsupported(node, $"output size {target} needs negative padding");
                (pads[i], pads[i + 2]) = autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
            }
        }
        else if (autoPad is not ("NOTSET" or "VALID")) throw Unsupported(node, $"auto_pad '{autoPad}' is not supported");
        else if (autoPad == "VALID") pads = [0, 0, 0, 0];
        int filters = (int)w.Dims[1] * group;
        var layer = new Conv2DTranspose(filters, ((int)kernel[0], (int)kernel[1]), ((int)strides[0], (int)strides[1]),
            ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]), ((int)outputPadding[0], (int)outputPadding[1]),
            ((int)dilations[0], (int)dilations[1]), group, b is not null, name: LayerName(node, Arg(node, 1)));
        var y = Layer(node, layer, x);
        Copy(node, w, layer.Weight.Value, "weight");
        if (b is not null) Copy(node, b, layer.Bias!.Value, "bias");
        return y;
    }

    private Node Gemm(NodeProto node)
    {
        var x = DenseInput(node);
        var b = Constant(node, 1, "weight");
        var c = OptionalConstant(node, 2, "bias");
        if (Int(node, "transA", 0) != 0) throw Unsupported(node, "transA = 1 is not supported");
        if (x.Shape.Length != 1 || b.Dims.Length != 2) throw Unsupported(node, $"only [N, features] inputs are supported (input [N, {string.Join(", ", x.Shape)}])");
        bool transB = Int(node, "transB", 0) != 0;
        float alpha = Float(node, "alpha", 1f), beta = Float(node, "beta", 1f);
        int inputs = x.Shape[0];
        int units = (int)(transB ? b.Dims[0] : b.Dims[1]);
        if ((transB ? b.Dims[1] : b.Dims[0]) != inputs) throw Invalid(node, $"weight [{string.Join(", ", b.Dims)}] does not fit {inputs} input features");
        float[] weight = DenseWeight(b.AsFloats(), units, inputs, transB, alpha);
        float[]? bias = c is null ? null : Bias(node, c, units, beta);
        return Dense(node, x, weight, bias, units, Arg(node, 1));
    }

    private Node MatMul(NodeProto node)
    {
        var x = DenseInput(node);
        var b = Constant(node, 1, "weight");
        if (x.Shape.Length != 1 || b.Dims.Length != 2 || b.Dims[0] != x.Shape[0])
        {
            throw Unsupported(node, $"only [N, features] × constant [features, units] is supported (input [N, {string.Join(", ", x.Shape)}], weight [{string.Join(", ", b.Dims)}])");
        }
        int units = (int)b.Dims[1];
        return Dense(node, x, DenseWeight(b.AsFloats(), units, x.Shape[0], false, 1f), null, units, Arg(node, 1));
    }

    // The symbolic input of a Gemm or MatMul: the value itself, or the x of a pending x·s + t that Dense folds in.
    private Node DenseInput(NodeProto node) =>
        Arg(node, 0) is { } name && _affine.TryGetValue(name, out var a) ? a.X : Symbol(node, 0);

    private bool TryAffine(NodeProto node)
    {
        if (node.OpType is not ("Mul" or "Add") || node.Input.Count != 2 || node.Input.Count(IsConstant) != 1) return false;
        string source = node.Input.First(i => !IsConstant(i));
        var c = TryConstant(node.Input.First(IsConstant))!;
        Affine current;
        if (_affine.TryGetValue(source, out var pending)) current = pending;
        else if (_symbols.TryGetValue(source, out var x) && x.Shape.Length == 1)
        {
            // A constant added to a bias-less MatMul is its bias (handled as a Dense layer with a bias).
            if (node.OpType == "Add" && _producers.TryGetValue(x, out var p) && p.Layer is Dense { Bias: null } && p.OpType is "MatMul" or "Gemm") return false;
            int f = x.Shape[0];
            current = new Affine(source, x, Enumerable.Repeat(1f, f).ToArray(), new float[f]);
        }
        else return false;
        int features = current.Scale.Length;
        float[] v = c.AsFloats();
        bool broadcasts = v.Length == 1 || (v.Length == features && c.Dims.Length <= 2 && c.Dims.Length >= 1 && c.Dims[^1] == features);
        if (!broadcasts) throw Unsupported(node, $"a constant of shape [{string.Join(", ", c.Dims)}] does not broadcast over the {features} features");
        var scale = (float[])current.Scale.Clone();
        var shift = (float[])current.Shift.Clone();
        for (int i = 0; i < features; i++)
        {
            float k = v[v.Length == 1 ? 0 : i];
            if (node.OpType == "Mul")
            {
                scale[i] *= k;
                shift[i] *= k;
            }
            else shift[i] += k;
        }
        _affine[node.Output[0]] = current with { Scale = scale, Shift = shift };
        return true;
    }

    // A pending x·s + t that is not followed by a Dense layer is folded into the Dense layer that made x.
    private Node Materialize(string name, NodeProto? consumer)
    {
        if (_materialized.TryGetValue(name, out var done)) return done;
        var a = _affine[name];
        if (_producers.TryGetValue(a.X, out var p) && p.Layer is Dense { Activation: Activation.Linear } d && Consumers(a.Source) == 1)
        {
            // s∘(W·x + b) + t = (diag(s)·W)·x + (s∘b + t).
            var layer = new Dense(d.Units, useBias: true, name: d.Name);
            d.Name = null;
            var y = layer.Call(p.Input);
            _producers[y] = new Producer(p.OpType, layer, p.Input);
            int inputs = d.InputUnits;
            var w = d.Weight.Value.Span;
            var w2 = layer.Weight.Value.Span;
            for (int u = 0; u < d.Units; u++)
            {
                for (int i = 0; i < inputs; i++) w2[u * inputs + i] = w[u * inputs + i] * a.Scale[u];
                float b = d.Bias is null ? 0f : d.Bias.Value.Span[u];
                layer.Bias!.Value.Span[u] = (float)((double)b * a.Scale[u] + a.Shift[u]);
            }
            return _materialized[name] = y;
        }
        string where = consumer is null ? $"graph output '{name}'" : $"node '{consumer.Name}' of op type {consumer.OpType}";
        throw new NotSupportedException($"{_source}: {where} reads '{name}', a constant scaling or shift (Mul/Add with a constant) that ONNX import " +
            "supports only right before or right after a Dense layer (Gemm, MatMul), where it is folded into the weights.");
    }

    private static float[] DenseWeight(float[] b, int units, int inputs, bool transposed, float alpha)
    {
        var w = new float[units * inputs];
        for (int u = 0; u < units; u++)
        {
            for (int i = 0; i < inputs; i++) w[u * inputs + i] = alpha * (transposed ? b[u * inputs + i] : b[i * units + u]);
        }
        return w;
    }

    private float[] Bias(NodeProto node, OnnxConstant c, int units, float beta)
    {
        float[] v = c.AsFloats();
        bool ok = v.Length == units && c.Dims.Count(d => d != 1) <= 1 && (c.Dims.Length == 0 || c.Dims[^1] == units) || v.Length == 1;
        if (!ok) throw Unsupported(node, $"a bias of shape [{string.Join(", ", c.Dims)}] does not broadcast to [{units}] per sample");
        var bias = new float[units];
        for (int u = 0; u < units; u++) bias[u] = beta * v[v.Length == 1 ? 0 : u];
        return bias;
    }

    private Node Dense(NodeProto node, Node x, float[] weight, float[]? bias, int units, string? weightName)
    {
        if (Arg(node, 0) is { } source && _affine.TryGetValue(source, out var a))
        {
            // W·(x·s + t) + b = (W·diag(s))·x + (b + W·t).
            int inputs = a.Scale.Length;
            bias ??= new float[units];
            for (int u = 0; u < units; u++)
            {
                double shifted = bias[u];
                for (int i = 0; i < inputs; i++)
                {
                    shifted += (double)weight[u * inputs + i] * a.Shift[i];
                    weight[u * inputs + i] *= a.Scale[i];
                }
                bias[u] = (float)shifted;
            }
        }
        var layer = new Dense(units, useBias: bias is not null, name: LayerName(node, weightName));
        var y = Layer(node, layer, x);
        weight.CopyTo(layer.Weight.Value.Span);
        bias?.CopyTo(layer.Bias!.Value.Span);
        return y;
    }

    private Node BatchNorm(NodeProto node)
    {
        var x = Symbol(node, 0);
        if (Int(node, "training_mode", 0) != 0 || node.Output.Count(o => o.Length > 0) > 1)
        {
            throw Unsupported(node, "only the inference form (one output, training_mode 0) is supported");
        }
        var layer = new BatchNormalization(Float(node, "epsilon", 1e-5f), 1f - Float(node, "momentum", 0.9f), LayerName(node, Arg(node, 1)));
        var y = Layer(node, layer, x);
        Copy(node, Constant(node, 1, "scale"), layer.Weight.Value, "scale");
        Copy(node, Constant(node, 2, "bias"), layer.Bias.Value, "bias");
        Copy(node, Constant(node, 3, "mean"), layer.RunningMean, "mean");
        Copy(node, Constant(node, 4, "variance"), layer.RunningVar, "variance");
        return y;
    }

    private Node Pool(NodeProto node)
    {
        var x = Symbol(node, 0);
        bool max = node.OpType == "MaxPool";
        if (node.Output.Count(o => o.Length > 0) > 1) throw Unsupported(node, "the Indices output is not supported");
        int spatial = x.Shape.Length - 1;
        if (spatial is not (1 or 2)) throw Unsupported(node, $"only 1-D and 2-D pooling is supported (input [N, {string.Join(", ", x.Shape)}])");
        if (node.FindAttribute("kernel_shape") is null) throw Invalid(node, "has no kernel_shape");
        long[] kernel = Spatial(node, "kernel_shape", spatial, 1);
        long[] strides = Spatial(node, "strides", spatial, 1);
        long[]? dilations = Ints(node, "dilations");
        if (dilations is not null && dilations.Any(d => d != 1)) throw Unsupported(node, "dilated pooling is not supported");
        if (Int(node, "storage_order", 0) != 0) throw Unsupported(node, "storage_order 1 is not supported");
        var ones = Enumerable.Repeat(1L, spatial).ToArray();
        long[] pads = ConvPads(node, x.Shape[1..], kernel, strides, ones);
        if (Int(node, "ceil_mode", 0) != 0)
        {
            for (int i = 0; i < spatial; i++)
            {
                long span = x.Shape[1 + i] + pads[i] + pads[i + spatial] - kernel[i];
                if (span % strides[i] != 0) throw Unsupported(node, "ceil_mode 1 is supported only where it gives the same size as floor");
            }
        }
        string name = LayerName(node);
        bool countIncludePad = Int(node, "count_include_pad", 0) != 0;
        Layer layer = spatial == 1
            ? max
                ? new MaxPool1D((int)kernel[0], (int)strides[0], ((int)pads[0], (int)pads[1]), name)
                : new AvgPool1D((int)kernel[0], (int)strides[0], ((int)pads[0], (int)pads[1]), countIncludePad, name)
            : max
                ? new MaxPool2D(((int)kernel[0], (int)kernel[1]), ((int)strides[0], (int)strides[1]), ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]), name)
                : new AvgPool2D(((int)kernel[0], (int)kernel[1]), ((int)strides[0], (int)strides[1]), ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]),
                    countIncludePad, name);
        return Layer(node, layer, x);
    }

    private Node HardSigmoid(NodeProto node)
    {
        float alpha = Float(node, "alpha", 0.2f), beta = Float(node, "beta", 0.5f);
        if (MathF.Abs(alpha - 1f / 6f) > 1e-6f || beta != 0.5f)
        {
            throw Unsupported(node, $"HardSigmoid with alpha {alpha.ToString(CultureInfo.InvariantCulture)} and beta {beta.ToString(CultureInfo.InvariantCulture)} " +
                "is not supported (only PyTorch's alpha 1/6, beta 0.5)");
        }
        return Act(node, Activation.HardSigmoid);
    }

    private Node Clip(NodeProto node)
    {
        float? min, max;
        if (_opset < 11)
        {
            min = Float(node, "min", float.NegativeInfinity);
            max = Float(node, "max", float.PositiveInfinity);
        }
        else
        {
            min = OptionalConstant(node, 1, "min")?.AsFloats().Single();
            max = OptionalConstant(node, 2, "max")?.AsFloats().Single();
        }
        if (min == 0 && max == 6) return Act(node, Activation.ReLU6);
        if (min == 0 && (max is null || float.IsPositiveInfinity(max.Value))) return Act(node, Activation.ReLU);
        throw Unsupported(node, $"Clip to [{min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"}, {max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}] " +
            "is not supported (only [0, 6] as ReLU6 and [0, inf) as ReLU)");
    }

    private Node Softmax(NodeProto node)
    {
        var x = Symbol(node, 0);
        int rank = x.Shape.Length + 1;
        long axis = Int(node, "axis", _opset >= 13 ? -1 : 1);
        if (axis < 0) axis += rank;
        if (axis != rank - 1) throw Unsupported(node, $"softmax over axis {axis} of a rank-{rank} tensor is not supported (only the last axis)");
        return Act(node, Activation.Softmax);
    }

    private Node PRelu(NodeProto node)
    {
        var x = Symbol(node, 0);
        var slope = Constant(node, 1, "slope");
        int channels = x.Shape[0];
        bool shared = slope.Length == 1;
        // The slope broadcasts against [N, C, ...]: per channel it is [C, 1, …] (or [1, C, 1, …], or [C] for [N, C]).
        var significant = slope.Dims.Select((d, i) => (d, fromEnd: slope.Dims.Length - i)).Where(p => p.d != 1).ToArray();
        bool perChannel = slope.Length == channels && significant.Length == 1 && significant[0].fromEnd == x.Shape.Length;
        if (!shared && !perChannel) throw Unsupported(node, $"a slope of shape [{string.Join(", ", slope.Dims)}] is not supported (only one slope or one per channel)");
        var layer = new PReLU(perChannel: !shared, name: LayerName(node, Arg(node, 1)));
        var y = Layer(node, layer, x);
        slope.AsFloats().CopyTo(layer.Weight.Value.Span);
        return y;
    }

    private Node AddNode(NodeProto node)
    {
        var args = node.Input.Where(i => i.Length > 0).ToList();
        if (node.OpType == "Add" && args.Count == 2 && args.Count(IsConstant) == 1) return AddBias(node, args);
        return Merge(node, args, new Add(LayerName(node)));
    }

    // MatMul (or Gemm without C) then Add(constant) is a dense layer with a bias.
    private Node AddBias(NodeProto node, List<string> args)
    {
        string symbol = args.First(a => !IsConstant(a));
        var c = TryConstant(args.First(IsConstant))!;
        var x = _symbols.TryGetValue(symbol, out var s) ? s : throw Invalid(node, $"input '{symbol}' is not produced by an earlier node");
        if (_producers.TryGetValue(x, out var p) && p.Layer is Dense { Bias: null } d && p.OpType is "MatMul" or "Gemm" && Consumers(symbol) == 1)
        {
            var layer = new Dense(d.Units, useBias: true, name: d.Name);
            d.Name = null;
            var y = Layer(node, layer, p.Input);
            d.Weight.Value.CopyTo(layer.Weight.Value);
            Bias(node, c, d.Units, 1f).CopyTo(layer.Bias!.Value.Span);
            return y;
        }
        throw Unsupported(node, "adding a constant is supported only as the bias of a MatMul");
    }

    private Node MulNode(NodeProto node)
    {
        var args = node.Input.Where(i => i.Length > 0).ToList();
        if (args.Count != 2) throw Invalid(node, $"has {args.Count} inputs instead of 2");
        if (args.Any(IsConstant)) throw Unsupported(node, "multiplying by a constant is not supported");
        // x · sigmoid(x) is Swish and x · hard_sigmoid(x) HardSwish, as the exporter writes them.
        for (int i = 0; i < 2; i++)
        {
            var gate = _symbols[args[i]];
            var other = _symbols[args[1 - i]];
            if (_producers.TryGetValue(gate, out var p) && ReferenceEquals(p.Input, other) && Consumers(args[i]) == 1 &&
                p.Layer is ActivationLayer { Activation: Activation.Sigmoid or Activation.HardSigmoid } a)
            {
                return Layer(node, new ActivationLayer(a.Activation == Activation.Sigmoid ? Activation.Swish : Activation.HardSwish, name: LayerName(node)), other);
            }
        }
        return Merge(node, args, new Multiply(LayerName(node)));
    }

    private Node Merge(NodeProto node, List<string> args, Layer layer)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Where(i => node.Input[i].Length > 0).Select(i => Symbol(node, i)).ToArray();
        if (inputs.Length == 1) return inputs[0];
        if (inputs.Any(n => n.Shape.Length != inputs[0].Shape.Length))
        {
            throw Unsupported(node, $"inputs of different ranks ({string.Join(", ", inputs.Select(n => "[N, " + string.Join(", ", n.Shape) + "]"))}) are not supported");
        }
        return Layer(node, layer, inputs);
    }

    private Node Concat(NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Where(i => node.Input[i].Length > 0).Select(i => Symbol(node, i)).ToArray();
        long axis = Int(node, "axis", long.MinValue);
        if (axis == long.MinValue) throw Invalid(node, "has no axis");
        int rank = inputs[0].Shape.Length + 1;
        if (axis == 0 || axis == -rank) throw Unsupported(node, "concatenating along the batch axis is not supported");
        if (inputs.Length == 1) return inputs[0];
        return Layer(node, new Concatenate((int)axis, LayerName(node)), inputs);
    }

    private Node ReshapeNode(NodeProto node)
    {
        var x = Symbol(node, 0);
        long[] shape = Constant(node, 1, "shape").AsLongs(Where(node));
        if (shape.Length == 0) throw Unsupported(node, "reshaping to a scalar is not supported");
        bool allowZero = Int(node, "allowzero", 0) != 0;
        if (allowZero && shape.Contains(0)) throw Unsupported(node, "allowzero with a zero dimension is not supported");
        long first = shape[0];
        bool batchFirst = first == 0 || first == -1 || (_declaredBatch is long b && first == b);
        if (!batchFirst) throw Unsupported(node, $"reshaping to [{string.Join(", ", shape)}] changes the batch axis");
        var target = new int[shape.Length - 1];
        for (int i = 1; i < shape.Length; i++)
        {
            long d = shape[i];
            if (d == 0)
            {
                if (i - 1 >= x.Shape.Length) throw Invalid(node, $"shape entry {i} copies a dimension the input does not have");
                d = x.Shape[i - 1];
            }
            if (d < -1 || d > int.MaxValue) throw Invalid(node, $"shape [{string.Join(", ", shape)}] is invalid");
            target[i - 1] = (int)d;
        }
        if (first == -1 && target.Contains(-1)) throw Unsupported(node, $"shape [{string.Join(", ", shape)}] infers both the batch and another axis");
        if (target.Length == 0) throw Unsupported(node, "reshaping to [N] is not supported");
        return Layer(node, new Reshape(target, LayerName(node)), x);
    }

    private Node FlattenNode(NodeProto node)
    {
        var x = Symbol(node, 0);
        long axis = Int(node, "axis", 1);
        int rank = x.Shape.Length + 1;
        if (axis < 0) axis += rank;
        if (axis != 1) throw Unsupported(node, $"Flatten at axis {axis} is not supported (only 1, which keeps the batch axis)");
        // Global pooling then Flatten is one global pooling layer without keepDims, as the exporter writes it.
        if (_producers.TryGetValue(x, out var p) && p.Layer is GlobalPoolingLayerBase { KeepDims: true } pool && Consumers(node.Input[0]) == 1)
        {
            string name = pool.Name!;
            pool.Name = null;
            return Layer(node, pool is GlobalMaxPool2D ? new GlobalMaxPool2D(false, name) : new GlobalAvgPool2D(false, name), p.Input);
        }
        return Layer(node, new Flatten(LayerName(node)), x);
    }

    private Node DropoutNode(NodeProto node)
    {
        var x = Symbol(node, 0);
        if (node.Output.Count > 1 && node.Output[1].Length > 0 && Consumers(node.Output[1]) > 0) throw Unsupported(node, "the mask output is not supported");
        float ratio = _opset >= 12 ? OptionalConstant(node, 1, "ratio")?.AsFloats().Single() ?? 0.5f : Float(node, "ratio", 0.5f);
        if (OptionalConstant(node, 2, "training_mode") is { } mode && mode.AsFloats().Single() != 0)
        {
            throw Unsupported(node, "training_mode true is not supported");
        }
        return Layer(node, new Dropout(ratio, _options.Seed, LayerName(node)), x);
    }

    private Node CastNode(NodeProto node)
    {
        var to = (TensorDataType)Int(node, "to", 0);
        if (to is TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16) return Symbol(node, 0);
        // Our tensors are floats: a cast of indices to integers in front of Gather (an embedding lookup) is a no-op.
        bool indicesOnly = _consumers.TryGetValue(node.Output[0], out var users) &&
                           users.All(u => u.OpType == "Gather" && u.Input.Count > 1 && u.Input[1] == node.Output[0]);
        if (to is TensorDataType.Int64 or TensorDataType.Int32 && indicesOnly) return Symbol(node, 0);
        throw Unsupported(node, $"casting to {to} is supported only for the indices of a Gather");
    }

    private Node PadNode(NodeProto node)
    {
        var x = Symbol(node, 0);
        string mode = String(node, "mode", "constant");
        if (mode != "constant") throw Unsupported(node, $"mode '{mode}' is not supported (only constant zero padding)");
        long[] pads = _opset >= 11 ? Constant(node, 1, "pads").AsLongs(Where(node)) : Ints(node, "pads") ?? throw Invalid(node, "has no pads");
        float value = _opset >= 11 ? OptionalConstant(node, 2, "constant_value")?.AsFloats().Single() ?? 0f : Float(node, "value", 0f);
        if (Arg(node, 3) is not null) throw Unsupported(node, "the axes input is not supported");
        if (value != 0) throw Unsupported(node, $"padding with {value} is not supported (only zeros)");
        if (x.Shape.Length != 3 || pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 || pads.Any(p => p < 0))
        {
            throw Unsupported(node, $"pads [{string.Join(", ", pads)}] are not supported (only non-negative padding of the two spatial axes of [N, C, H, W])");
        }
        return Layer(node, new ZeroPadding2D((int)pads[2], (int)pads[6], (int)pads[3], (int)pads[7], LayerName(node)), x);
    }

    private Node GatherNode(NodeProto node)
    {
        var table = TryConstant(Arg(node, 0) ?? "") ?? throw Unsupported(node, "only a lookup in a constant table (an embedding) is supported");
        if (Int(node, "axis", 0) != 0 || table.Dims.Length != 2) throw Unsupported(node, "only axis 0 of a [vocabulary, features] table is supported");
        var indices = Symbol(node, 1);
        var layer = new Embedding((int)table.Dims[0], (int)table.Dims[1], LayerName(node, Arg(node, 0)));
        var y = Layer(node, layer, indices);
        table.AsFloats().CopyTo(layer.Weight.Value.Span);
        return y;
    }

    private void Copy(NodeProto node, OnnxConstant value, Tensor destination, string what)
    {
        if (value.Length != destination.Length)
        {
            throw Invalid(node, $"its {what} has shape [{string.Join(", ", value.Dims)}] but the layer needs {destination.ShapeString}");
        }
        value.AsFloats().CopyTo(destination.Span);
    }

    // ---- names, attributes, errors ----

    private string LayerName(NodeProto node, string? weightName = null)
    {
        string? candidate = null;
        if (weightName is not null && weightName.EndsWith(".weight", StringComparison.Ordinal) && weightName.Length > 7) candidate = weightName[..^7];
        else if (!string.IsNullOrEmpty(node.Name)) candidate = node.Name;
        candidate ??= node.OpType.ToLowerInvariant();
        if (_layerNames.Add(candidate)) return candidate;
        for (int k = 1; ; k++)
        {
            if (_layerNames.Add($"{candidate}_{k}")) return $"{candidate}_{k}";
        }
    }

    /// <summary>A per-axis attribute with one value per spatial axis, each in [min, 2²⁰]; <paramref name="fallback"/> on every axis when absent.</summary>
    private long[] Spatial(NodeProto node, string name, int axes, long fallback, long min = 1)
    {
        long[] values = Ints(node, name) ?? Enumerable.Repeat(fallback, axes).ToArray();
        if (values.Length != axes || values.Any(v => v < min || v > 1 << 20))
        {
            throw Invalid(node, $"{name} [{string.Join(", ", values)}] must have {axes} value(s), each in [{min}, {1 << 20}]");
        }
        return values;
    }

    /// <summary>A positive count attribute such as group.</summary>
    private int Count(NodeProto node, string name, int fallback)
    {
        long v = Int(node, name, fallback);
        if (v < 1 || v > 1 << 20) throw Invalid(node, $"{name} {v} is out of range");
        return (int)v;
    }

    private static long Int(NodeProto node, string name, long fallback) => node.FindAttribute(name) is { } a ? a.I : fallback;

    private static float Float(NodeProto node, string name, float fallback) => node.FindAttribute(name) is { } a ? a.F : fallback;

    private static string String(NodeProto node, string name, string fallback) => node.FindAttribute(name) is { } a ? a.StringValue : fallback;

    private static long[]? Ints(NodeProto node, string name) => node.FindAttribute(name) is { } a ? [.. a.Ints] : null;

    private string Where(NodeProto node) => $"{_source}: node '{node.Name}' ({node.OpType})";

    private NotSupportedException Unsupported(NodeProto node, string why) =>
        new($"{_source}: node '{node.Name}' of op type {node.OpType} cannot be imported: {why}.");

    private InvalidDataException Invalid(NodeProto node, string why) => new($"{Where(node)}: {why}.");
}
