using System.Globalization;
using System.Text;

namespace MLNet.Nets.Models;

public partial class Model
{
    /// <summary>Number of elements of all parameters (PyTorch's <c>sum(p.numel() for p in model.parameters())</c>).</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Number of elements of the trainable parameters.</summary>
    public long TrainableParameterCount => _parameters.Where(p => p.Trainable).Sum(p => (long)p.Value.Length);

    /// <summary>Number of elements of the frozen parameters.</summary>
    public long NonTrainableParameterCount => ParameterCount - TrainableParameterCount;

    /// <summary>Number of elements of the non-trainable buffers (e.g. batch normalization's running statistics).</summary>
    public long BufferCount => _layers.Sum(l => l.Buffers.Sum(b => (long)b.Value.Length));

    /// <summary>
    /// Writes a table of the layers — name, type, output shape, parameter count and (for a graph that is not a chain)
    /// the layers feeding each one — followed by the totals, and returns the same text.
    /// </summary>
    /// <param name="output">Where to write; default <see cref="Console.Out"/>. Pass <see cref="TextWriter.Null"/> to only get the text.</param>
    public string Summary(TextWriter? output = null)
    {
        EnsureGraph();
        var nodeOf = new Dictionary<Layers.Layer, Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>(_outputs);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.IsInput || nodeOf.ContainsKey(node.Layer!)) continue;
            nodeOf[node.Layer!] = node;
            foreach (var child in node.Inputs) stack.Push(child);
        }
        bool chain = _inputs.Length == 1 && _outputs.Length == 1 &&
            _layers.Select((l, i) => nodeOf[l].Inputs.Count == 1 &&
                (i == 0 ? nodeOf[l].Inputs[0] == _inputs[0] : nodeOf[l].Inputs[0].Layer == _layers[i - 1])).All(b => b);

        var rows = new List<string[]>();
        foreach (var input in _inputs)
        {
            rows.Add([$"{input.InputName} (Input)", Shape(input.Shape), "0", ""]);
        }
        foreach (var layer in _layers)
        {
            var node = nodeOf[layer];
            string from = string.Join(", ", node.Inputs.Select(n => n.IsInput ? n.InputName : n.Layer!.Name));
            rows.Add([$"{layer.Name} ({layer.TypeName})", Shape(node.Shape), layer.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), from]);
        }
        string[] headers = chain ? ["Layer (type)", "Output Shape", "Param #"] : ["Layer (type)", "Output Shape", "Param #", "Connected to"];
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        int total = widths.Sum() + 3 * (widths.Length - 1);
        var sb = new StringBuilder();
        sb.Append("Model: ").Append(GetType().Name).Append('\n');
        sb.Append(new string('=', total)).Append('\n');
        AppendRow(sb, headers, widths);
        sb.Append(new string('=', total)).Append('\n');
        foreach (var row in rows) AppendRow(sb, row, widths);
        sb.Append(new string('=', total)).Append('\n');
        sb.Append("Total params: ").Append(ParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Trainable params: ").Append(TrainableParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Non-trainable params: ").Append(NonTrainableParameterCount.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        long buffers = BufferCount;
        if (buffers > 0)
        {
            sb.Append("Non-trainable buffers (running statistics, counted as params by Keras): ")
              .Append(buffers.ToString("N0", CultureInfo.InvariantCulture)).Append('\n');
        }
        string text = sb.ToString();
        (output ?? Console.Out).Write(text);
        return text;
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        for (int c = 0; c < widths.Length; c++)
        {
            if (c > 0) sb.Append("   ");
            // Numbers align right, text left.
            sb.Append(c == 2 ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        sb.Append('\n');
        int end = sb.Length - 1;
        while (end > 0 && sb[end - 1] == ' ') end--;
        sb.Remove(end, sb.Length - 1 - end);
    }

    private static string Shape(int[] shape) => "(None, " + string.Join(", ", shape) + ")";
}
