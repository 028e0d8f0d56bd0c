namespace MLNet.Nets.Vision.Imaging;

/// <summary>The memory layout of the tensor <see cref="PixelExtractor"/> produces.</summary>
public enum PixelLayout
{
    /// <summary>[C, H, W]: one plane per channel (the layout of PyTorch, ONNX and NCHW networks). The default.</summary>
    Planar,

    /// <summary>[H, W, C]: channels interleaved per pixel (TensorFlow/NHWC).</summary>
    Interleaved,
}
