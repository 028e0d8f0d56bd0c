using System.Text.Json;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Tests.Cli;

[TestClass]
public sealed class AutoMlCommandTests
{
    [TestMethod]
    public void AutoMlImageOnMnistSavesTheBestModelWhichEvaluates()
    {
        string dir = NetsTool.TempDirectory(), mnist = DataDirectory.Find("mnist");
        var r = NetsTool.Run(dir, "automl", "image", "--mnist", mnist, "--limit", "400", "--time", "120", "--max-trials", "2", "--arch", "lenet5",
            "--model", "digits.zip", "--folder", "runs", "--json");
        Assert.AreEqual(0, r.ExitCode, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout.Trim()).RootElement;
        Assert.AreEqual("MicroAccuracy", json.GetProperty("metric").GetString());
        Assert.AreEqual(2, json.GetProperty("trials").GetInt32());
        Assert.AreEqual(0, json.GetProperty("failedTrials").GetInt32());
        Assert.IsFalse(json.GetProperty("cancelled").GetBoolean());
        StringAssert.StartsWith(json.GetProperty("settings").GetString(), "lenet5");
        // The live table: one line per trial on stderr, stdout kept for the JSON.
        StringAssert.Contains(r.Stderr, "on 400 images");
        Assert.AreEqual(2, r.Stderr.Split('\n').Count(l => l.TrimStart().StartsWith("trial ", StringComparison.Ordinal)), r.Stderr);
        Assert.AreEqual(3, File.ReadAllLines(Path.Combine(dir, "runs", "trials.csv")).Length);
        Assert.IsTrue(File.Exists(Path.Combine(dir, "runs", "progress.svg")));

        // The saved pipeline takes the MNIST test set as it comes and beats chance by far.
        var evaluate = NetsTool.Run(dir, "evaluate", "--model", "digits.zip", "--data", mnist, "--json");
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.Stderr);
        double accuracy = JsonDocument.Parse(evaluate.Stdout.Trim()).RootElement.GetProperty("microAccuracy").GetDouble();
        Assert.IsTrue(accuracy > 0.5, $"test accuracy {accuracy}");
    }

    [TestMethod]
    public void AutoMlRegressionSavesAnAveragedModelWhichEvaluates()
    {
        string dir = NetsTool.TempDirectory(), housing = DataDirectory.Find("housing/housing.txt");
        var r = NetsTool.Run(dir, "automl", "regression", "--data", housing, "--label", "MedianHomeValue", "--time", "120", "--max-trials", "3",
            "--ensemble", "2", "--model", "housing.zip", "--json");
        Assert.AreEqual(0, r.ExitCode, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout.Trim()).RootElement;
        Assert.AreEqual("RSquared", json.GetProperty("metric").GetString());
        Assert.AreEqual(3, json.GetProperty("trials").GetInt32());
        var model = new NetsContext(0).Model.Load(Path.Combine(dir, "housing.zip"), out _);
        var bp = (model as IEnumerable<ITransformer> ?? [model]).OfType<MLNet.Nets.Trainers.BackPropagationPredictionTransformer>().Single().Model;
        Assert.AreEqual(2, bp.EnsembleSize, "--ensemble 2: the refit averages two networks");
        var evaluate = NetsTool.Run(dir, "evaluate", "--model", "housing.zip", "--data", housing, "--json");
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.Stderr);
        Assert.IsTrue(JsonDocument.Parse(evaluate.Stdout.Trim()).RootElement.GetProperty("r2").GetDouble() > 0.6, evaluate.Stdout);

        var bad = NetsTool.Run(dir, "automl", "regression", "--data", housing, "--label", "MedianHomeValue", "--ensemble", "0", "--model", "bad.zip");
        Assert.AreEqual(1, bad.ExitCode, bad.Stderr);
        StringAssert.Contains(bad.Stderr, "EnsembleSize must be in [1, 100]");
        Assert.IsFalse(File.Exists(Path.Combine(dir, "bad.zip")));
    }

    [TestMethod]
    public void AutoMlImageRejectsBadInputWithOneLineAndNoModel()
    {
        string dir = NetsTool.TempDirectory(), mnist = DataDirectory.Find("mnist");
        var cases = new (string[] Args, string Expected)[]
        {
            (["--time", "5"], "Give exactly one of --mnist DIR"),
            (["--mnist", mnist, "--data", dir], "Give exactly one of --mnist DIR"),
            (["--data", Path.Combine(dir, "missing")], "missing"),
            (["--mnist", mnist, "--arch", "lenet5,alexnet"], "Unknown architecture 'alexnet'"),
            (["--mnist", mnist, "--weights", "mobilenet_v2"], "--weights must be ARCH=FILE"),
            (["--mnist", mnist, "--weights", "mobilenet_v2=" + Path.Combine(dir, "none.pth")], "none.pth"),
            (["--mnist", mnist, "--max-trials", "0"], "--max-trials must be at least 1"),
            (["--mnist", mnist, "--time", "0"], "--time must be positive"),
            (["--mnist", mnist, "--metric", "RSquared"], "'RSquared' is not a MulticlassClassification metric"),
        };
        foreach (var (args, expected) in cases)
        {
            var r = NetsTool.Run(dir, ["automl", "image", .. args, "--model", "out.zip"]);
            Assert.AreEqual(1, r.ExitCode, string.Join(" ", args) + ": " + r.Stderr);
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(1, lines.Length, $"{string.Join(" ", args)}: one line expected, got: {r.Stderr}");
            StringAssert.StartsWith(lines[0], "nets: ");
            StringAssert.Contains(lines[0], expected);
            Assert.IsFalse(File.Exists(Path.Combine(dir, "out.zip")), "no model may be written");
        }
    }
}
