using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>
/// An ONNX model file (<c>ModelProto</c>): IR version, operator sets, producer, the graph and metadata. Written and read
/// with Google.Protobuf's coded streams from the field numbers of the ONNX specification (<c>onnx.proto</c>).
/// </summary>
public sealed class ModelProto : IProtoMessage
{
    /// <summary>The IR version (field 1); 8 goes with operator set 17.</summary>
    public long IrVersion { get; set; }

    /// <summary>The operator sets the graph uses (field 8).</summary>
    public List<OperatorSetIdProto> OpsetImport { get; } = [];

    /// <summary>The tool that wrote the file (field 2).</summary>
    public string? ProducerName { get; set; }

    /// <summary>The producing tool's version (field 3).</summary>
    public string? ProducerVersion { get; set; }

    /// <summary>A reverse-DNS model namespace (field 4).</summary>
    public string? Domain { get; set; }

    /// <summary>The model's version (field 5).</summary>
    public long? ModelVersion { get; set; }

    /// <summary>Documentation (field 6).</summary>
    public string? DocString { get; set; }

    /// <summary>The graph (field 7).</summary>
    public GraphProto? Graph { get; set; }

    /// <summary>Free-form metadata (field 14).</summary>
    public List<StringStringEntryProto> MetadataProps { get; } = [];

    /// <summary>True when the file defines model-local functions (field 25), which are not modelled.</summary>
    public bool HasFunctions { get; set; }

    /// <summary>The version of the default ("") operator set, or null when the model does not import it.</summary>
    public long? DefaultOpsetVersion =>
        OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx")?.Version;

    int IProtoMessage.CalculateSize() =>
        ProtoWriter.Int64Size(1, IrVersion) + ProtoWriter.StringSize(2, ProducerName) + ProtoWriter.StringSize(3, ProducerVersion) +
        ProtoWriter.StringSize(4, Domain) + ProtoWriter.Int64Size(5, ModelVersion) + ProtoWriter.StringSize(6, DocString) +
        ProtoWriter.MessageSize(7, Graph) + ProtoWriter.MessagesSize(8, OpsetImport) + ProtoWriter.MessagesSize(14, MetadataProps);

    void IProtoMessage.WriteTo(CodedOutputStream output)
    {
        ProtoWriter.Int64(output, 1, IrVersion);
        ProtoWriter.String(output, 2, ProducerName);
        ProtoWriter.String(output, 3, ProducerVersion);
        ProtoWriter.String(output, 4, Domain);
        ProtoWriter.Int64(output, 5, ModelVersion);
        ProtoWriter.String(output, 6, DocString);
        ProtoWriter.Message(output, 7, Graph);
        ProtoWriter.Messages(output, 8, OpsetImport);
        ProtoWriter.Messages(output, 14, MetadataProps);
    }

    /// <summary>Writes the model's bytes to <paramref name="stream"/> (left open).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var output = new CodedOutputStream(stream, leaveOpen: true);
        ((IProtoMessage)this).WriteTo(output);
        output.Flush();
    }

    /// <summary>The model's bytes.</summary>
    public byte[] ToByteArray()
    {
        var bytes = new byte[((IProtoMessage)this).CalculateSize()];
        var output = new CodedOutputStream(bytes);
        ((IProtoMessage)this).WriteTo(output);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>Parses a model from its bytes.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="sourceName">Names the file in error messages; default "ONNX stream".</param>
    /// <param name="maxDepth">The deepest message nesting accepted (sub-graphs add levels); default 32.</param>
    /// <exception cref="InvalidDataException">The bytes are truncated or not ONNX protobuf; the message names the source.</exception>
    public static ModelProto Parse(byte[] bytes, string? sourceName = null, int maxDepth = 32)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var r = new ProtoReader(bytes, sourceName ?? "ONNX stream", maxDepth);
        var m = new ModelProto();
        while (r.Next(out int field))
        {
            switch (field)
            {
                case 1: m.IrVersion = r.Int64(); break;
                case 2: m.ProducerName = r.String(); break;
                case 3: m.ProducerVersion = r.String(); break;
                case 4: m.Domain = r.String(); break;
                case 5: m.ModelVersion = r.Int64(); break;
                case 6: m.DocString = r.String(); break;
                case 7: m.Graph = r.Message("GraphProto", GraphProto.Read); break;
                case 8: m.OpsetImport.Add(r.Message("OperatorSetIdProto", OperatorSetIdProto.Read)); break;
                case 14: m.MetadataProps.Add(r.Message("StringStringEntryProto", StringStringEntryProto.Read)); break;
                case 25: m.HasFunctions = true; r.Skip(); break;
                default: r.Skip(); break;
            }
        }
        if (m.Graph is null) throw new InvalidDataException($"{r.Source} has no graph; it is not an ONNX model (or it is truncated).");
        return m;
    }
}
