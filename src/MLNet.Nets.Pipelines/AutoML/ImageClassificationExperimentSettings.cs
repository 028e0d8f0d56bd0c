using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.AutoML;

/// <summary>
/// Settings of an image classification experiment (<c>nets.Auto().CreateImageClassificationExperiment</c>): the shared
/// <see cref="ExperimentSettings"/> plus the pretrained weights and the architectures to search. Every default is stated.
/// </summary>
/// <example>
/// <code>
/// var settings = new ImageClassificationExperimentSettings
/// {
///     MaxExperimentTimeInSeconds = 600,
///     PretrainedWeights = { [Architecture.MobileNetV2] = PretrainedWeights.FromFile("mobilenet_v2-b0353104.pth") },
/// };
/// </code>
/// </example>
public sealed class ImageClassificationExperimentSettings : ExperimentSettings
{
    /// <summary>
    /// Pretrained weights per architecture. An architecture with weights is fine-tuned (head only on cached bottlenecks,
    /// the last blocks, or all of it — the fine-tune mode is searched) at the width multiplier the weights were made
    /// for (found from their tensor shapes); one without weights trains from scratch. Default empty.
    /// </summary>
    public IDictionary<Architecture, PretrainedWeights> PretrainedWeights { get; set; } = new Dictionary<Architecture, PretrainedWeights>();

    /// <summary>
    /// The architectures to consider; null for LeNet-5, MobileNet V1, V3 Small, V2, V3 Large and the small VGG, plus every
    /// architecture of <see cref="PretrainedWeights"/>. Any zoo architecture may be listed (ResNet-18/50 and Inception V3
    /// are slow on a CPU). Default null.
    /// </summary>
    public IReadOnlyCollection<Architecture>? Architectures { get; set; }

    /// <summary>Folder of the bottleneck cache of head-only trials; null for the trainer's default (the user's cache folder,
    /// mlnet-nets/bottlenecks), where later experiments on the same images reuse them. Default null.</summary>
    public string? WorkspacePath { get; set; }
}
