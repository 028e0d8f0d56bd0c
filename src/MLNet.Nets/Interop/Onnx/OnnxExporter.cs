using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Training;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>
/// Writes a network as a standard ONNX model (default operator set 17) that ONNX Runtime, ML.NET's
/// <c>ApplyOnnxModel</c> and <see cref="OnnxImporter"/> can run.
/// </summary>
/// <remarks>
/// <para>Inputs and outputs are float32 tensors named after the model's inputs (<c>input</c>) and <c>output</c>, with
/// the first dimension the symbolic <c>batch</c>; the other dimensions are the model's fixed per-sample shape (NCHW for
/// images). Weights are stored as initializers named <c>{layer}.{parameter}</c>.</para>
/// <para>Layers and their ONNX forms: Dense → Gemm; activations → Relu, Clip (ReLU6), LeakyRelu, Elu, Sigmoid, Tanh,
/// Softplus, HardSigmoid, HardSwish, Softmax (axis −1), Swish as x·Sigmoid(x); PReLU → PRelu; Conv1D, Conv2D,
/// DepthwiseConv2D → Conv (groups, dilation, stride, explicit or resolved Same padding); SeparableConv2D → two Convs;
/// Conv2DTranspose → ConvTranspose; MaxPool1D/2D → MaxPool; AvgPool1D/2D → AveragePool with the layer's
/// count_include_pad; GlobalAvgPool2D/GlobalMaxPool2D → GlobalAveragePool/GlobalMaxPool (+ Flatten unless keepDims);
/// BatchNormalization → BatchNormalization (inference form); Flatten → Flatten; Reshape → Reshape; Dropout → Dropout or
/// nothing; Add → Add/Sum; Multiply → Mul; Concatenate → Concat; ZeroPadding2D → Pad; Embedding → Cast + Gather.</para>
/// <para>Files are written atomically (a temporary file renamed into place), so a failed export never leaves a partial
/// file or destroys an earlier one.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = ModelZoo.Create(Architecture.MobileNetV2, numClasses: 10);
/// OnnxExporter.Export(model, "mobilenet_v2.onnx");
/// </code>
/// </example>
public static class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> to the ONNX file <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="model">A built model.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX form; the message names the layer.</exception>
    public static void Export(Model model, string path, OnnxExportOptions? options = null) =>
        WriteAtomically(ToModelProto(model, options), path);

    /// <summary>Writes <paramref name="model"/> as ONNX to <paramref name="stream"/> (left open).</summary>
    /// <param name="model">A built model.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX form; the message names the layer.</exception>
    public static void Export(Model model, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ToModelProto(model, options).WriteTo(stream);
    }

    /// <summary>
    /// Writes a BP network to the ONNX file <paramref name="path"/>, including its input min-max scaling and the reverse
    /// mapping of its outputs (Mul and Add nodes), so that the graph maps raw inputs to outputs in the data's units exactly
    /// as <see cref="FeedForwardNetwork.Predict"/> does.
    /// </summary>
    /// <param name="network">The network (trained, or at least with its scalers fitted if it normalizes).</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    public static void Export(FeedForwardNetwork network, string path, OnnxExportOptions? options = null) =>
        WriteAtomically(ToModelProto(network, options), path);

    /// <summary>Writes a BP network as ONNX to <paramref name="stream"/> (left open); see <see cref="Export(FeedForwardNetwork, string, OnnxExportOptions?)"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    public static void Export(FeedForwardNetwork network, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ToModelProto(network, options).WriteTo(stream);
    }

    /// <summary>The ONNX model of <paramref name="model"/>, for callers that add to the graph before writing it.</summary>
    /// <param name="model">A built model.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX form; the message names the layer.</exception>
    public static ModelProto ToModelProto(Model model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var o = Check(options);
        if (!model.IsBuilt) throw new InvalidOperationException("The model is not built yet; build it (or run it once) before exporting.");
        var w = new OnnxGraphWriter(o.OpsetVersion);

        var inputNames = Names(o.InputNames, model.Inputs.Count, "input", i => model.Inputs[i].InputName!);
        var outputNames = Names(o.OutputNames, model.Outputs.Count, "output",
            i => model.Outputs.Count == 1 ? "output" : model.Outputs[i].Layer?.Name ?? $"output_{i}");
        foreach (var n in inputNames) w.Reserve(n);
        foreach (var n in outputNames) w.Reserve(n);

        var values = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < model.Inputs.Count; i++)
        {
            values[model.Inputs[i]] = inputNames[i];
            w.Graph.Input.Add(ValueInfo(inputNames[i], model.Inputs[i].Shape, o));
        }
        // The first time a node is a model output, its layer writes straight to the output's name.
        var outputOf = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < model.Outputs.Count; i++)
        {
            if (!model.Outputs[i].IsInput) outputOf.TryAdd(model.Outputs[i], outputNames[i]);
        }
        foreach (var node in TopologicalOrder(model))
        {
            var layer = node.Layer!;
            var inputs = node.Inputs.Select(n => values[n]).ToArray();
            string target = outputOf.TryGetValue(node, out var outName) ? outName : w.Unique(layer.Name!);
            values[node] = LayerExporter.Emit(w, layer, inputs, target, o);
        }
        for (int i = 0; i < model.Outputs.Count; i++)
        {
            string produced = values[model.Outputs[i]];
            if (produced != outputNames[i]) w.Node("Identity", outputNames[i], [produced], outputNames[i]);
            w.Graph.Output.Add(ValueInfo(outputNames[i], model.Outputs[i].Shape, o));
        }
        return Wrap(w, o);
    }

    /// <summary>The ONNX model of a BP network with its scalers; see <see cref="Export(FeedForwardNetwork, string, OnnxExportOptions?)"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="options">Export options; null for the defaults.</param>
    public static ModelProto ToModelProto(FeedForwardNetwork network, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var o = Check(options);
        var w = new OnnxGraphWriter(o.OpsetVersion);
        string input = Names(o.InputNames, 1, "input", _ => "input")[0];
        string output = Names(o.OutputNames, 1, "output", _ => "output")[0];
        w.Reserve(input);
        w.Reserve(output);
        w.Graph.Input.Add(ValueInfo(input, [network.InputCount], o));
        string x = input;
        if (network.InputScaler is { } inScaler)
        {
            int n = network.InputCount;
            var (gain, offset) = ScalerForward(inScaler);
            x = w.Node("Mul", "input_scaler/gain", [x, w.Floats("input_scaler.gain", [n], gain)], w.Unique("input_scaler/scaled"));
            x = w.Node("Add", "input_scaler/offset", [x, w.Floats("input_scaler.offset", [n], offset)], w.Unique("input_scaler/normalized"));
        }
        var scaler = network.OutputScaler;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            bool last = l == network.Layers.Count - 1;
            string target = last && scaler is null ? output : w.Unique(layer.Name!);
            x = LayerExporter.Emit(w, layer, [x], target, o);
        }
        if (scaler is not null)
        {
            int n = network.OutputCount;
            var (scale, offset) = ScalerInverse(scaler);
            x = w.Node("Mul", "output_scaler/scale", [x, w.Floats("output_scaler.scale", [n], scale)], w.Unique("output_scaler/scaled"));
            x = w.Node("Add", "output_scaler/offset", [x, w.Floats("output_scaler.offset", [n], offset)], output);
        }
        w.Graph.Output.Add(ValueInfo(output, [network.OutputCount], o));
        return Wrap(w, o);
    }

    /// <summary>A min-max mapping as y = x·gain + offset per column: (x − min)·g + rangeMin, the range's middle for a constant column.</summary>
    internal static (float[] Gain, float[] Offset) ScalerForward(MinMaxScaler scaler)
    {
        int n = scaler.ColumnCount;
        var gain = new float[n];
        var offset = new float[n];
        for (int c = 0; c < n; c++)
        {
            double min = scaler.DataMin[c], max = scaler.DataMax[c];
            double g = scaler.IsConstant(c) ? 0 : (scaler.RangeMax - scaler.RangeMin) / (max - min);
            gain[c] = (float)g;
            offset[c] = (float)(scaler.IsConstant(c) ? 0.5 * (scaler.RangeMin + scaler.RangeMax) : scaler.RangeMin - min * g);
        }
        return (gain, offset);
    }

    /// <summary>The reverse mapping as x = y·scale + offset per column: (y − rangeMin)/g + min, and min for a constant column.</summary>
    internal static (float[] Scale, float[] Offset) ScalerInverse(MinMaxScaler scaler)
    {
        int n = scaler.ColumnCount;
        var scale = new float[n];
        var offset = new float[n];
        for (int c = 0; c < n; c++)
        {
            double min = scaler.DataMin[c], max = scaler.DataMax[c];
            double inverse = scaler.IsConstant(c) ? 0 : (max - min) / (scaler.RangeMax - scaler.RangeMin);
            scale[c] = (float)inverse;
            offset[c] = (float)(min - scaler.RangeMin * inverse);
        }
        return (scale, offset);
    }

    private static OnnxExportOptions Check(OnnxExportOptions? options)
    {
        var o = options ?? new OnnxExportOptions();
        if (o.OpsetVersion is < 13 or > 17)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"OpsetVersion must be 13–17 but is {o.OpsetVersion}.");
        }
        if (o.BatchSize is < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be positive but is {o.BatchSize}.");
        if (o.BatchSize is null && string.IsNullOrEmpty(o.BatchDimensionName))
        {
            throw new ArgumentException("BatchDimensionName must not be empty when BatchSize is null.", nameof(options));
        }
        return o;
    }

    private static string[] Names(IReadOnlyList<string>? given, int count, string what, Func<int, string> fallback)
    {
        if (given is null) return Enumerable.Range(0, count).Select(fallback).ToArray();
        if (given.Count != count) throw new ArgumentException($"{count} {what} name(s) are needed but {given.Count} were given.");
        return given.ToArray();
    }

    private static ValueInfoProto ValueInfo(string name, int[] perSample, OnnxExportOptions o) => ValueInfo(name, TensorDataType.Float, perSample, o);

    /// <summary>A typed tensor value with the batch dimension first (symbolic unless a batch size is fixed).</summary>
    internal static ValueInfoProto ValueInfo(string name, TensorDataType type, int[] perSample, OnnxExportOptions o)
    {
        var dims = new List<TensorShapeDimension>
        {
            o.BatchSize is int b ? TensorShapeDimension.Fixed(b) : TensorShapeDimension.Symbolic(o.BatchDimensionName),
        };
        dims.AddRange(perSample.Select(d => TensorShapeDimension.Fixed(d)));
        return new ValueInfoProto { Name = name, Type = TypeProto.Tensor(type, dims) };
    }

    private static ModelProto Wrap(OnnxGraphWriter w, OnnxExportOptions o)
    {
        w.Graph.Name = o.GraphName;
        var model = new ModelProto
        {
            IrVersion = o.OpsetVersion >= 14 ? 8 : 7,
            ProducerName = o.ProducerName,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3),
            ModelVersion = o.ModelVersion,
            DocString = o.Description,
            Graph = w.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = o.OpsetVersion });
        return model;
    }

    private static List<Node> TopologicalOrder(Model model)
    {
        var order = new List<Node>();
        var done = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node Node, bool Expanded)>();
        foreach (var output in model.Outputs.Reverse()) stack.Push((output, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (node.IsInput || done.Contains(node)) continue;
            if (expanded)
            {
                done.Add(node);
                order.Add(node);
                continue;
            }
            stack.Push((node, true));
            for (int i = node.Inputs.Count - 1; i >= 0; i--) stack.Push((node.Inputs[i], false));
        }
        return order;
    }

    internal static void WriteAtomically(ModelProto model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
