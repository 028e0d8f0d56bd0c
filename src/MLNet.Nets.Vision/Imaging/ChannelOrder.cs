namespace MLNet.Nets.Vision.Imaging;

/// <summary>The order of the colour channels in extracted pixels. Alpha, when kept, always comes last.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue (PyTorch/torchvision). The default.</summary>
    Rgb,

    /// <summary>Blue, green, red (OpenCV/Caffe-trained networks).</summary>
    Bgr,
}
