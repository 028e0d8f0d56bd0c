namespace MLNet.Nets.Vision.Weights;

/// <summary>The file formats <see cref="PretrainedWeights"/> reads.</summary>
public enum WeightsFormat
{
    /// <summary>A PyTorch state dict written by <c>torch.save</c> (<c>.pth</c>/<c>.pt</c>; zip or legacy layout), read by <see cref="TorchStateDict"/>.</summary>
    PyTorch,

    /// <summary>A safetensors file, read by <see cref="MLNet.Nets.Serialization.SafeTensors"/>.</summary>
    SafeTensors,

    /// <summary>The initializers of an ONNX model (<c>.onnx</c>), read by <see cref="OnnxInitializers"/>.</summary>
    Onnx,
}
