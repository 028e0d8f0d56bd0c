namespace MLNet.Nets.Layers;

/// <summary>How a convolution or pooling layer pads its input (Keras's <c>padding</c> argument).</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input, so the output shrinks by (kernel − 1)·dilation.</summary>
    Valid = 0,

    /// <summary>
    /// TensorFlow/Keras SAME: output size ceil(input / stride); the padding is split evenly with the odd pixel at the
    /// bottom/right, so it can be asymmetric.
    /// </summary>
    Same,
}
