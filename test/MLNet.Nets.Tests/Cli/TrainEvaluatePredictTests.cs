using System.Text.Json;
using MLNet.Nets.Datasets;

namespace MLNet.Nets.Tests.Cli;

[TestClass]
public sealed class TrainEvaluatePredictTests
{
    private static readonly string Housing = DataDirectory.Find("housing/housing.txt");

    [TestMethod]
    public void PredictionsInAnotherProcessAreBitIdenticalToTheTrainingProcess()
    {
        string dir = NetsTool.TempDirectory();
        var train = NetsTool.Run(dir, "train", "regression", "--data", Housing, "--label", "MedianHomeValue", "--epochs", "200",
            "--model", "housing.zip", "--predictions", "trained.csv", "--json", "--seed", "3");
        Assert.AreEqual(0, train.ExitCode, train.Stderr);
        var json = JsonDocument.Parse(train.Stdout.Trim()).RootElement;
        foreach (var key in new[] { "rmse", "mae", "mse", "r2", "trainSeconds" }) Assert.IsTrue(json.TryGetProperty(key, out _), $"missing {key}: {train.Stdout}");
        Assert.AreEqual(Math.Sqrt(json.GetProperty("mse").GetDouble()), json.GetProperty("rmse").GetDouble(), 1e-9);

        var predict = NetsTool.Run(dir, "predict", "--model", "housing.zip", "--data", Housing, "--out", "loaded.csv");
        Assert.AreEqual(0, predict.ExitCode, predict.Stderr);
        var trained = File.ReadAllText(Path.Combine(dir, "trained.csv"));
        var loaded = File.ReadAllText(Path.Combine(dir, "loaded.csv"));
        Assert.AreEqual(507, loaded.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, "header + 506 rows");
        Assert.AreEqual(trained, loaded, "bit-identical predictions");

        var evaluate = NetsTool.Run(dir, "evaluate", "--model", "housing.zip", "--data", Housing, "--json");
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.Stderr);
        var all = JsonDocument.Parse(evaluate.Stdout.Trim()).RootElement;
        Assert.IsFalse(all.TryGetProperty("trainSeconds", out _));
        Assert.IsTrue(all.GetProperty("r2").GetDouble() > 0.6, evaluate.Stdout);
    }

    [TestMethod]
    public void ClassificationReportsPerClassMetricsAsJson()
    {
        string dir = NetsTool.TempDirectory();
        string data = Path.Combine(dir, "bands.csv");
        var lines = File.ReadAllLines(Housing);
        var output = new List<string> { "Band," + string.Join(",", lines[0].Split('\t').Skip(1)) };
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            double v = double.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture);
            output.Add((v < 18 ? "low" : v < 25 ? "mid" : "high") + "," + string.Join(",", f.Skip(1)));
        }
        File.WriteAllLines(data, output);
        var train = NetsTool.Run(dir, "train", "classification", "--data", data, "--label", "Band", "--epochs", "300", "--model", "bands.zip", "--json");
        Assert.AreEqual(0, train.ExitCode, train.Stderr);
        var json = JsonDocument.Parse(train.Stdout.Trim()).RootElement;
        Assert.AreEqual(3, json.GetProperty("perClassPrecision").GetArrayLength());
        Assert.AreEqual(3, json.GetProperty("perClassRecall").GetArrayLength());
        Assert.IsTrue(json.GetProperty("microAccuracy").GetDouble() > 0.65, train.Stdout);
        Assert.IsTrue(json.GetProperty("logLoss").GetDouble() > 0);
        Assert.AreEqual("high", json.GetProperty("classes")[0].GetString());
        var predict = NetsTool.Run(dir, "predict", "--model", "bands.zip", "--data", data, "--out", "p.csv");
        Assert.AreEqual(0, predict.ExitCode, predict.Stderr);
        var first = File.ReadLines(Path.Combine(dir, "p.csv")).Take(2).ToArray();
        Assert.AreEqual("PredictedLabel,Score.high,Score.low,Score.mid", first[0]);
        Assert.IsTrue(first[1].Split(',')[0] is "high" or "low" or "mid");
    }

    [TestMethod]
    public void BadInputGivesOneLineNamingFileRowAndColumnAndNoModel()
    {
        string dir = NetsTool.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "ragged.csv"), "a,b,y\n1,2,3\n4,5\n");
        File.WriteAllText(Path.Combine(dir, "text.csv"), "a,b,y\n1,2,3\n4,x,5\n");
        File.WriteAllText(Path.Combine(dir, "empty.csv"), "");
        File.WriteAllText(Path.Combine(dir, "ok.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n");
        var cases = new (string File, string Label, string[] Expected)[]
        {
            ("ragged.csv", "y", ["ragged.csv", "line 3 (data row 2)", "2 fields"]),
            ("text.csv", "y", ["text.csv", "line 3 (data row 2)", "column 2 ('b')", "'x' is not a number"]),
            ("empty.csv", "y", ["empty.csv", "empty"]),
            ("ok.csv", "price", ["ok.csv", "no label column 'price'"]),
        };
        foreach (var (file, label, expected) in cases)
        {
            var r = NetsTool.Run(dir, "train", "regression", "--data", file, "--label", label, "--model", "out.zip");
            Assert.AreNotEqual(0, r.ExitCode, file);
            var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(1, lines.Length, $"{file}: one line expected, got: {r.Stderr}");
            foreach (var e in expected) StringAssert.Contains(lines[0], e, file);
            Assert.IsFalse(File.Exists(Path.Combine(dir, "out.zip")), $"{file}: no model may be written");
            Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp").Length);
        }
    }

    [TestMethod]
    public void LeNetOnMnistForOneEpochReachesTheBar()
    {
        string dir = NetsTool.TempDirectory();
        var r = NetsTool.Run(dir, "train", "image", "--mnist", DataDirectory.Find("mnist"), "--arch", "lenet5", "--epochs", "1", "--model", "mnist.zip", "--json");
        Assert.AreEqual(0, r.ExitCode, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout.Trim()).RootElement;
        Assert.IsTrue(json.GetProperty("microAccuracy").GetDouble() >= 0.97, r.Stdout);
        var evaluate = NetsTool.Run(dir, "evaluate", "--model", "mnist.zip", "--data", DataDirectory.Find("mnist"), "--json");
        Assert.AreEqual(0, evaluate.ExitCode, evaluate.Stderr);
        Assert.AreEqual(json.GetProperty("microAccuracy").GetDouble(), JsonDocument.Parse(evaluate.Stdout.Trim()).RootElement.GetProperty("microAccuracy").GetDouble(), 1e-12);
    }
}
