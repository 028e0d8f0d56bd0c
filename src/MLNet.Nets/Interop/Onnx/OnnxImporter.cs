using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Models;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>
/// Reads an ONNX model into a <see cref="Model"/> built from this library's layers, so it can be run, inspected,
/// fine-tuned and saved like any other model.
/// </summary>
/// <remarks>
/// <para>Operators: Conv (1-D, 2-D, grouped, depthwise), ConvTranspose (2-D), Gemm, MatMul (+ Add as its bias),
/// BatchNormalization (inference form), MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Relu, Clip ([0, 6] as
/// ReLU6, [0, ∞) as ReLU), Sigmoid, Tanh, Softplus, HardSigmoid (α 1/6, β 0.5), HardSwish, LeakyRelu, Elu, Softmax
/// (last axis), PRelu, Add, Sum, Mul (of two tensors; x·Sigmoid(x) becomes Swish), Concat, Reshape and Flatten (that
/// keep the batch axis), Dropout, Identity, Cast, Pad (zero padding of H and W), Constant and Gather (an embedding
/// table). Constant sub-graphs of Constant, Identity, Cast and Reshape are folded.</para>
/// <para>The first axis of every graph input is the batch (symbolic or fixed); the others must be fixed, or given in
/// <see cref="OnnxImportOptions.InputShapes"/>. Layers are named after their weights (<c>features.0.0</c>) or their
/// nodes.</para>
/// <para>The file is untrusted input: its size, each tensor's element count, the node count and the message nesting are
/// bounded (see <see cref="OnnxImportOptions"/>) and checked before anything is allocated; external tensor data is
/// rejected. A truncated or corrupt file gives an <see cref="InvalidDataException"/> naming the file, an unsupported
/// operator a <see cref="NotSupportedException"/> naming the op type and the node.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = OnnxImporter.Load("mobilenet_v2.onnx");
/// var logits = model.Forward(images);   // images: [N, 3, 224, 224]
/// </code>
/// </example>
public static class OnnxImporter
{
    /// <summary>Loads the ONNX file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Limits and input shapes; null for the defaults.</param>
    /// <exception cref="InvalidDataException">The file is missing, too large, truncated or malformed; the message names it.</exception>
    /// <exception cref="NotSupportedException">The graph uses an operator or form the layers do not cover; the message names the op type and node.</exception>
    public static Model Load(string path, OnnxImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var o = options ?? new OnnxImportOptions();
        string source = $"ONNX file '{path}'";
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{source} does not exist.", path);
        if (info.Length > o.MaxFileBytes) throw new InvalidDataException($"{source} has {info.Length} bytes, more than the {o.MaxFileBytes} allowed.");
        return FromModelProto(ModelProto.Parse(File.ReadAllBytes(path), source, o.MaxDepth), o, source);
    }

    /// <summary>Loads an ONNX model from <paramref name="stream"/> (read to its end).</summary>
    /// <param name="stream">The model bytes.</param>
    /// <param name="options">Limits and input shapes; null for the defaults.</param>
    /// <param name="sourceName">Names the source in error messages; default "ONNX stream".</param>
    /// <exception cref="InvalidDataException">The bytes are too many, truncated or malformed.</exception>
    /// <exception cref="NotSupportedException">The graph uses an operator or form the layers do not cover.</exception>
    public static Model Load(Stream stream, OnnxImportOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var o = options ?? new OnnxImportOptions();
        string source = sourceName is null ? "ONNX stream" : $"ONNX file '{sourceName}'";
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (copy.Length + read > o.MaxFileBytes) throw new InvalidDataException($"{source} has more than the {o.MaxFileBytes} bytes allowed.");
            copy.Write(buffer, 0, read);
        }
        return FromModelProto(ModelProto.Parse(copy.ToArray(), source, o.MaxDepth), o, source);
    }

    /// <summary>Builds a model from a parsed ONNX model.</summary>
    /// <param name="model">The ONNX model.</param>
    /// <param name="options">Limits and input shapes; null for the defaults.</param>
    /// <param name="sourceName">Names the source in error messages; default "ONNX model".</param>
    public static Model FromModelProto(ModelProto model, OnnxImportOptions? options = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxGraphImporter(model, options ?? new OnnxImportOptions(), sourceName ?? "ONNX model").Import();
    }
}
