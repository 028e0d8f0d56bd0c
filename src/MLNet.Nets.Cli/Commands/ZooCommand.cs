using System.CommandLine;
using MLNet.Nets.Serialization;
using MLNet.Nets.Vision.Weights;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Cli.Commands;

/// <summary><c>nets zoo list</c> and <c>nets zoo run</c>.</summary>
internal static class ZooCommand
{
    public static Command Create()
    {
        var list = new Command("list", "The architectures of the model zoo.");
        list.SetAction(_ => List());
        var arch = new Option<string>("--arch") { Description = "Architecture name (see nets zoo list).", Required = true };
        var weights = new Option<string>("--weights") { Description = "Weights: .pth, .safetensors or .onnx.", Required = true };
        var input = new Option<string>("--input") { Description = "Input batch: float32 NCHW .npy.", Required = true };
        var output = new Option<string>("--output") { Description = "Where to write the logits (.npy).", Required = true };
        var classes = new Option<int>("--classes") { Description = "Number of classes of the head.", DefaultValueFactory = _ => 1000 };
        var run = new Command("run", "Runs a zoo network with the given weights on an .npy batch and writes its logits as .npy.") { arch, weights, input, output, classes };
        run.SetAction(r => Run(r.GetValue(arch)!, r.GetValue(weights)!, r.GetValue(input)!, r.GetValue(output)!, r.GetValue(classes)));
        return new Command("zoo", "The model zoo: list architectures, run one on a batch.") { list, run };
    }

    private static int Run(string archName, string weightsPath, string inputPath, string outputPath, int classes)
    {
        if (classes < 1) throw new ArgumentException($"--classes must be ≥ 1, not {classes}.");
        var architecture = ModelZoo.Parse(archName);
        var model = ModelZoo.Create(architecture, classes);
        var result = PretrainedWeights.FromFile(weightsPath).LoadInto(model);
        var input = Npy.Read(inputPath);
        var logits = model.Predict(input);
        Npy.Write(outputPath, logits);
        Console.Error.WriteLine($"nets: {ModelZoo.NameOf(architecture)} with {result.Loaded.Count} tensors from {weightsPath}: " +
            $"input {input.ShapeString} -> logits {logits.ShapeString} written to {outputPath}");
        return 0;
    }

    public static int List()
    {
        foreach (var info in ModelZoo.List())
        {
            Console.WriteLine(FormattableString.Invariant(
                $"      {info.Name,-20} {info.ReferenceParameterCount,12:N0} parameters  {info.Preprocessing.Height}×{info.Preprocessing.Width}  {info.Description}"));
        }
        return 0;
    }
}
