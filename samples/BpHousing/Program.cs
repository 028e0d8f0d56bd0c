// A 13-10-1 BP network on Boston housing, the MATLAB way: newff(…, [10], {'tansig','purelin'}, 'trainlm').
//
//   dotnet run --project samples/BpHousing -c Release [-- --data path/to/housing.txt] [--seed 42]
//
// 80/20 split with a fixed seed; the min-max mapping of the features (and of the target) is fitted on the training
// part only; 15% of the training part is held out for Levenberg–Marquardt's validation stop.
using System.Diagnostics;
using System.Globalization;
using MLNet.Nets.Datasets;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;

string? dataPath = null;
int seed = 42;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length: dataPath = args[++i]; break;
        case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: BpHousing [--data housing.txt] [--seed N]");
            return 2;
    }
}

string path;
try
{
    path = dataPath ?? DataDirectory.Find("housing/housing.txt");
}
catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

var table = NumericTable.Load(path, labelColumn: "MedianHomeValue");
var (x, y) = (table.Features, table.Labels);
Console.WriteLine($"Loaded {x.Dim(0)} rows × {x.Dim(1)} features from {path}");

var split = DataDivision.Random(x.Dim(0), trainRatio: 0.8, validationRatio: 0, testRatio: 0.2, seed: seed);
var xTrain = DataDivision.TakeRows(x, split.TrainIndices);
var yTrain = DataDivision.TakeRows(y, split.TrainIndices);
var xTest = DataDivision.TakeRows(x, split.TestIndices);
var yTest = DataDivision.TakeRows(y, split.TestIndices);

var net = FeedForwardNetwork.Create(inputCount: 13, hiddenSizes: [10], outputCount: 1, seed: seed);   // tansig / purelin
var division = DataDivision.Random(xTrain.Dim(0), trainRatio: 0.85, validationRatio: 0.15, testRatio: 0, seed: seed);
var progress = new ConsoleProgress();

var clock = Stopwatch.StartNew();
var result = net.Train(xTrain, yTrain, new LevenbergMarquardt(), division, progress);
clock.Stop();

var prediction = net.Predict(xTest);
double sse = 0, sst = 0, mean = 0;
for (int i = 0; i < yTest.Length; i++) mean += yTest[i];
mean /= yTest.Length;
for (int i = 0; i < yTest.Length; i++)
{
    sse += Math.Pow(prediction[i] - yTest[i], 2);
    sst += Math.Pow(yTest[i] - mean, 2);
}
Console.WriteLine();
Console.WriteLine($"Stop: {result.StopMessage} after {result.Epochs} epochs; weights of epoch {result.BestEpoch} kept.");
Console.WriteLine(FormattableString.Invariant($"Training MSE {result.Performance:F3}, validation MSE {result.ValidationPerformance:F3} (in $1000²)"));
Console.WriteLine(FormattableString.Invariant($"Test RMSE {Math.Sqrt(sse / yTest.Length):F3} ($1000s), R² {1 - sse / sst:F3} on {yTest.Length} rows"));
Console.WriteLine(FormattableString.Invariant($"Training time {clock.Elapsed.TotalMilliseconds:F1} ms (first run in the process, JIT included)"));

// The same training again, now that the code is compiled: what a long-running application sees.
var again = FeedForwardNetwork.Create(13, [10], 1, seed: seed);
clock.Restart();
again.Train(xTrain, yTrain, new LevenbergMarquardt(), division);
Console.WriteLine(FormattableString.Invariant($"Training time {clock.Elapsed.TotalMilliseconds:F1} ms (second run)"));
return 0;

/// <summary>Prints one line per epoch, synchronously.</summary>
sealed class ConsoleProgress : IProgress<FeedForwardTrainingProgress>
{
    public void Report(FeedForwardTrainingProgress p) => Console.WriteLine(FormattableString.Invariant(
        $"epoch {p.Epoch,4}  mse {p.Performance,10:F4}  val {p.ValidationPerformance,10:F4}  mu {p.Mu,8:G2}  grad {p.Gradient,9:G3}  fails {p.ValidationFailures}"));
}
