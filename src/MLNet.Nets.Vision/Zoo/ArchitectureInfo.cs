namespace MLNet.Nets.Vision.Zoo;

/// <summary>One entry of <see cref="ModelZoo.List"/>.</summary>
/// <param name="Architecture">The architecture.</param>
/// <param name="Name">Its command-line/registry name, e.g. <c>mobilenet_v2</c>.</param>
/// <param name="Description">A one-line description.</param>
/// <param name="Preprocessing">The default input and its normalization.</param>
/// <param name="ReferenceParameterCount">Parameters (without batch-norm running statistics) at the default options and
/// 1000 classes (LeNet-5: 10 classes), as counted by the reference implementation.</param>
public sealed record ArchitectureInfo(Architecture Architecture, string Name, string Description, ZooPreprocessing Preprocessing,
    long ReferenceParameterCount);
