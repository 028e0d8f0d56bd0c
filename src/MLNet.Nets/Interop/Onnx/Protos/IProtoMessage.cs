using Google.Protobuf;

namespace MLNet.Nets.Interop.Onnx.Protos;

/// <summary>What every ONNX message does for the writer: its encoded size and its fields on the wire.</summary>
internal interface IProtoMessage
{
    /// <summary>The encoded size in bytes (without the enclosing tag and length).</summary>
    int CalculateSize();

    /// <summary>Writes the fields (without the enclosing tag and length).</summary>
    void WriteTo(CodedOutputStream output);
}
