using MLNet.Nets.Data;
using MLNet.Nets.Interop.Onnx;
using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Models;
using MLNet.Nets.Serialization;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;

namespace MLNet.Nets.Interop;

/// <summary>
/// Exports a fitted pipeline to ONNX (opset 17, dynamic batch): its numeric input (the trainer's feature column, or the
/// columns a Concatenate step builds it from), affine normalizers, the network (BP with its min-max mappings, CNN), and
/// ML.NET's output columns — <c>Score</c> first, then <c>Probability</c> (binary) and <c>PredictedLabel</c> (a boolean, or
/// the 1-based key as int64; the label values are listed in the model's metadata under <c>labels</c>). A step with no
/// ONNX form (text, images, custom mappings) gets an error naming it.
/// </summary>
public static class PipelineOnnxExporter
{
    /// <summary>Writes the ONNX form of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="NotSupportedException">A step has no ONNX form (the message names it).</exception>
    public static void Export(ITransformer model, DataViewSchema? inputSchema, string path)
    {
        var proto = ToModelProto(model, inputSchema);
        AtomicFile.Write(path, proto.WriteTo);
    }

    /// <summary>The ONNX model of a fitted pipeline.</summary>
    public static ModelProto ToModelProto(ITransformer model, DataViewSchema? inputSchema)
    {
        ArgumentNullException.ThrowIfNull(model);
        var steps = Flatten(model).ToList();
        int scorerIndex = steps.FindIndex(s => s is BackPropagationPredictionTransformer or CnnPredictionTransformer);
        if (scorerIndex < 0)
        {
            throw new NotSupportedException("The pipeline has no network step with an ONNX form (BackPropagation or Cnn trainer); " +
                $"its steps are {string.Join(", ", steps.Select(s => s.GetType().Name))}.");
        }
        var scorer = steps[scorerIndex];
        string featureColumn = scorer is BackPropagationPredictionTransformer bp ? bp.FeatureColumnName : ((CnnPredictionTransformer)scorer).FeatureColumnName;
        Model network = scorer is BackPropagationPredictionTransformer b ? b.Model.Network : ((CnnPredictionTransformer)scorer).Network;

        var proto = OnnxExporter.ToModelProto(network, new OnnxExportOptions { InputNames = ["network_input"], OutputNames = ["network_output"], GraphName = "pipeline" });
        var graph = proto.Graph!;
        var before = new List<NodeProto>();
        var inputs = new List<ValueInfoProto>();
        string x = PrepareInput(steps, scorerIndex, featureColumn, network, graph, before, inputs);
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        graph.Node.InsertRange(0, before);
        graph.Node.Insert(before.Count, Node("Identity", [x], "network_input"));
        graph.Output.Clear();
        AddOutputs(scorer, graph);
        var labels = scorer is BackPropagationPredictionTransformer p ? p.LabelKeyValues : ((CnnPredictionTransformer)scorer).LabelKeyValues;
        if (labels is not null) proto.MetadataProps.Add(new StringStringEntryProto { Key = "labels", Value = string.Join("\n", labels.Cast<object>().Select(DataViewExtensions.FormatItem)) });
        foreach (var later in steps.Skip(scorerIndex + 1))
        {
            if (later is not KeyToValueMappingTransformer and not ColumnSelectingTransformer and not ColumnCopyingTransformer)
            {
                throw new NotSupportedException($"The step after the trainer, {later.GetType().Name}, has no ONNX form.");
            }
        }
        return proto;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer t) => t is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [t];

    /// <summary>Walks the steps before the trainer backwards from the feature column, writing their nodes; returns the tensor fed to the network.</summary>
    private static string PrepareInput(List<ITransformer> steps, int scorerIndex, string featureColumn, Model network, GraphProto graph,
        List<NodeProto> nodes, List<ValueInfoProto> inputs)
    {
        var producers = new List<NormalizationParameters>();
        string column = featureColumn;
        string[]? concatenated = null;
        for (int i = scorerIndex - 1; i >= 0 && concatenated is null; i--)
        {
            switch (steps[i])
            {
                case NormalizingTransformer n when n.Columns.Any(c => c.Output == column):
                    var entry = n.Columns.First(c => c.Output == column);
                    producers.Insert(0, entry.Parameters);
                    column = entry.Input;
                    break;
                case ColumnConcatenatingTransformer c when c.OutputColumnName == column:
                    concatenated = c.InputColumnNames.ToArray();
                    break;
                case NormalizingTransformer:
                case ColumnConcatenatingTransformer:
                case ValueToKeyMappingTransformer v when v.OutputColumnName != column:
                case ColumnCopyingTransformer cc when cc.Columns.All(p => p.OutputColumnName != column):
                case MissingValueReplacingTransformer m when m.OutputColumnName != column:
                case ColumnSelectingTransformer:
                    break;
                default:
                    throw new NotSupportedException($"The step {steps[i].GetType().Name} before the trainer has no ONNX form.");
            }
        }
        int size = network.Inputs[0].Shape.Aggregate(1, (a, b) => a * b);
        string x;
        if (concatenated is not null)
        {
            foreach (var name in concatenated) inputs.Add(FloatInput(name, 1));
            if (concatenated.Length != size)
            {
                throw new NotSupportedException($"ONNX export takes scalar columns for Concatenate; '{featureColumn}' is {size} values from {concatenated.Length} columns.");
            }
            x = "concatenated";
            nodes.Add(Node("Concat", concatenated, x, AttributeProto.Int("axis", 1)));
        }
        else
        {
            inputs.Add(FloatInput(column, network.Inputs[0].Shape));
            x = column;
        }
        int k = 0;
        foreach (var p in producers)
        {
            if (!p.IsReversible) throw new NotSupportedException($"The {p.Mode} normalizer has no affine ONNX form.");
            int slots = p.Scale.Count;
            // y = (x − offset)·scale + shift = x·scale + (shift − offset·scale)
            var scale = p.Scale.Select(v => (float)v).ToArray();
            var bias = Enumerable.Range(0, slots).Select(s => (float)(p.Shift[s] - p.Offset[s] * p.Scale[s])).ToArray();
            graph.Initializer.Add(TensorProto.FromFloats($"normalizer{k}.scale", [slots], scale));
            graph.Initializer.Add(TensorProto.FromFloats($"normalizer{k}.bias", [slots], bias));
            nodes.Add(Node("Mul", [x, $"normalizer{k}.scale"], $"normalizer{k}/scaled"));
            nodes.Add(Node("Add", [$"normalizer{k}/scaled", $"normalizer{k}.bias"], $"normalizer{k}/out"));
            x = $"normalizer{k}/out";
            k++;
        }
        return x;
    }

    private static void AddOutputs(ITransformer scorer, GraphProto graph)
    {
        string raw = "network_output";
        if (scorer is BackPropagationPredictionTransformer bp)
        {
            var m = bp.Model;
            if (m.OutputScaler is { } s)
            {
                int n = m.OutputCount;
                var (scale, offset) = OnnxExporter.ScalerInverse(s);
                graph.Initializer.Add(TensorProto.FromFloats("label_scaler.scale", [n], scale));
                graph.Initializer.Add(TensorProto.FromFloats("label_scaler.offset", [n], offset));
                graph.Node.Add(Node("Mul", [raw, "label_scaler.scale"], "label_scaler/scaled"));
                graph.Node.Add(Node("Add", ["label_scaler/scaled", "label_scaler.offset"], "label_scaler/out"));
                raw = "label_scaler/out";
            }
            if (m.InputScaler is { } inScaler)
            {
                // The network's own input mapping goes in front of it (the Identity that feeds it is re-pointed).
                int n = m.FeatureCount;
                var (gain, offset) = OnnxExporter.ScalerForward(inScaler);
                var feed = graph.Node.First(node => node.OpType == "Identity" && node.Output.Contains("network_input"));
                string source = feed.Input[0];
                graph.Initializer.Add(TensorProto.FromFloats("feature_scaler.gain", [n], gain));
                graph.Initializer.Add(TensorProto.FromFloats("feature_scaler.offset", [n], offset));
                int at = graph.Node.IndexOf(feed);
                graph.Node.Insert(at, Node("Mul", [source, "feature_scaler.gain"], "feature_scaler/scaled"));
                graph.Node.Insert(at + 1, Node("Add", ["feature_scaler/scaled", "feature_scaler.offset"], "feature_scaler/out"));
                feed.Input[0] = "feature_scaler/out";
            }
            switch (m.Kind)
            {
                case PredictionKind.Regression:
                    graph.Node.Add(Node("Identity", [raw], "Score"));
                    graph.Output.Add(FloatOutput("Score", m.OutputCount));
                    return;
                case PredictionKind.BinaryClassification:
                    if (m.OutputsAreProbabilities)
                    {
                        graph.Node.Add(Node("Identity", [raw], "Probability"));
                        graph.Node.Add(Node("Sub", [Const(graph, "one", 1f), "Probability"], "q"));
                        graph.Node.Add(Node("Div", ["Probability", "q"], "odds"));
                        graph.Node.Add(Node("Log", ["odds"], "Score"));
                    }
                    else
                    {
                        graph.Node.Add(Node("Identity", [raw], "Score"));
                        graph.Node.Add(Node("Sigmoid", ["Score"], "Probability"));
                    }
                    graph.Node.Add(Node("GreaterOrEqual", ["Probability", Const(graph, "half", 0.5f)], "PredictedLabel"));
                    graph.Output.Add(FloatOutput("Score", 1));
                    graph.Output.Add(FloatOutput("Probability", 1));
                    graph.Output.Add(Output("PredictedLabel", TensorDataType.Bool, 1));
                    return;
                default:
                    if (m.OutputsAreProbabilities)
                    {
                        graph.Node.Add(Node("Relu", [raw], "positive"));
                        graph.Node.Add(Node("ReduceSum", ["positive", Int64s(graph, "axis1", 1)], "total", AttributeProto.Int("keepdims", 1)));
                        graph.Node.Add(Node("Div", ["positive", "total"], "Score"));
                    }
                    else
                    {
                        graph.Node.Add(Node("Softmax", [raw], "Score", AttributeProto.Int("axis", -1)));
                    }
                    AddArgMax(graph, bp.ClassCount);
                    return;
            }
        }
        var cnn = (CnnPredictionTransformer)scorer;
        graph.Node.Add(Node("Softmax", [raw], "Score", AttributeProto.Int("axis", -1)));
        AddArgMax(graph, cnn.ClassCount);
    }

    private static void AddArgMax(GraphProto graph, int classes)
    {
        graph.Node.Add(Node("ArgMax", ["Score"], "index", AttributeProto.Int("axis", 1), AttributeProto.Int("keepdims", 0)));
        graph.Node.Add(Node("Add", ["index", Int64s(graph, "one_key", 1)], "PredictedLabel"));
        graph.Output.Add(FloatOutput("Score", classes));
        graph.Output.Add(Output("PredictedLabel", TensorDataType.Int64));
    }

    private static string Const(GraphProto graph, string name, float value)
    {
        if (!graph.Initializer.Any(t => t.Name == name)) graph.Initializer.Add(TensorProto.FromFloats(name, [], [value]));
        return name;
    }

    private static string Int64s(GraphProto graph, string name, long value)
    {
        if (!graph.Initializer.Any(t => t.Name == name)) graph.Initializer.Add(TensorProto.FromInt64s(name, [1], [value]));
        return name;
    }

    private static NodeProto Node(string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output + "/" + op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static readonly OnnxExportOptions Defaults = new();

    private static ValueInfoProto FloatInput(string name, params int[] perSample) => OnnxExporter.ValueInfo(name, TensorDataType.Float, perSample, Defaults);

    private static ValueInfoProto FloatOutput(string name, params int[] perSample) => OnnxExporter.ValueInfo(name, TensorDataType.Float, perSample, Defaults);

    private static ValueInfoProto Output(string name, TensorDataType type, params int[] perSample) => OnnxExporter.ValueInfo(name, type, perSample, Defaults);
}
