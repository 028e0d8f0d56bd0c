namespace MLNet.Nets.Vision.Weights;

/// <summary>
/// The registry of published weights files the cache knows by name: torchvision's ImageNet classifiers under their
/// reference file names.
/// </summary>
/// <remarks>
/// The full SHA-256 is recorded where it is known (mobilenet_v2-b0353104, mobilenet_v3_small-047dcff4,
/// resnet18-f37072fd); for the others the 8-digit prefix in torchvision's file name is verified, as
/// <c>torch.hub</c> does. The default name of an architecture (for example <c>mobilenet_v2</c>) is torchvision's
/// <c>IMAGENET1K_V1</c> weights; <c>.imagenet1k_v2</c> names the newer recipe where one exists.
/// </remarks>
public static class KnownWeights
{
    private static readonly Uri Base = new("https://download.pytorch.org/models/");

    private static KnownWeightsFile Torchvision(string name, string architecture, string fileName, string sha256) =>
        new(name, architecture, fileName, new Uri(Base, fileName), sha256);

    /// <summary>Every registered file.</summary>
    public static IReadOnlyList<KnownWeightsFile> All { get; } =
    [
        Torchvision("mobilenet_v2", "mobilenet_v2", "mobilenet_v2-b0353104.pth", "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"),
        Torchvision("mobilenet_v2.imagenet1k_v2", "mobilenet_v2", "mobilenet_v2-7ebf99e0.pth", "7ebf99e0"),
        Torchvision("mobilenet_v3_small", "mobilenet_v3_small", "mobilenet_v3_small-047dcff4.pth", "047dcff4addef86ea5bc2eff13c9614dc11f47ab1160d0a71a25e7db994f4e1f"),
        Torchvision("mobilenet_v3_large", "mobilenet_v3_large", "mobilenet_v3_large-8738ca79.pth", "8738ca79"),
        Torchvision("mobilenet_v3_large.imagenet1k_v2", "mobilenet_v3_large", "mobilenet_v3_large-5c1a4163.pth", "5c1a4163"),
        Torchvision("inception_v3", "inception_v3", "inception_v3_google-0cc3c7bd.pth", "0cc3c7bd") with { InputSize = 299, ResizeSize = 342 },
        Torchvision("resnet18", "resnet18", "resnet18-f37072fd.pth", "f37072fd47e89c5e827621c5baffa7500819f7896bbacec160b1a16c560e07ec"),
        Torchvision("resnet50", "resnet50", "resnet50-0676ba61.pth", "0676ba61"),
        Torchvision("resnet50.imagenet1k_v2", "resnet50", "resnet50-11ad3fa6.pth", "11ad3fa6") with { ResizeSize = 232 },
    ];

    /// <summary>Finds a file by registry name (case-insensitive) or by its reference file name.</summary>
    /// <param name="name">For example <c>mobilenet_v2</c> or <c>mobilenet_v2-b0353104.pth</c>.</param>
    /// <exception cref="KeyNotFoundException">No such entry; the message lists the known names.</exception>
    public static KnownWeightsFile Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                   || string.Equals(f.FileName, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException(
                $"No known weights named '{name}'. Known: {string.Join(", ", All.Select(f => f.Name))}. " +
                "For another file use PretrainedWeights.FromFile(path).");
    }
}
