using MLNet.Nets.Tensors;

namespace MLNet.Nets.Datasets;

/// <summary>The MNIST training and test sets as tensors.</summary>
/// <param name="TrainImages">[60000, 1, 28, 28], pixels scaled to [0, 1].</param>
/// <param name="TrainLabels">[60000], the digit of each image as a float (0–9).</param>
/// <param name="TestImages">[10000, 1, 28, 28], pixels scaled to [0, 1].</param>
/// <param name="TestLabels">[10000], digits as floats.</param>
public sealed record MnistData(Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels);
