// API tour section 1: BP regression in a pipeline — MATLAB's newff + trainlm, done the ML.NET way.
//
//   dotnet run --project samples/HousingRegression -c Release [-- path/to/housing.txt]
//
// Loads Boston housing, splits 80/20, concatenates the 13 features, maps them to [-1, 1] (mapminmax), trains a
// 13-10-1 tansig/purelin network with Levenberg–Marquardt, evaluates, saves the whole chain to housing.zip, loads it
// back and predicts one house with a prediction engine.
using MLNet.Nets;
using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Evaluation;
using MLNet.Nets.Layers;
using MLNet.Nets.Trainers;

string path = args.Length > 0 ? args[0] : DataDirectory.Find("housing/housing.txt");
var nets = new NetsContext(seed: 0);
nets.Log += (_, e) => Console.WriteLine($"  {e}");

IDataView data = nets.Data.LoadFromTextFile<HousingRow>(path, separatorChar: '\t', hasHeader: true);
var split = nets.Data.TrainTestSplit(data, testFraction: 0.2);

var pipeline = nets.Transforms.Concatenate("Features", HousingRow.FeatureColumns)
    .Append(nets.Transforms.NormalizeMinMax("Features", -1, 1))             // mapminmax
    .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions
    {
        LabelColumnName = "MedianHomeValue",
        HiddenLayers = [10],                                                    // newff(..., [10])
        HiddenActivation = Activation.Tanh,                                     // tansig; output purelin
        Algorithm = TrainingAlgorithm.LevenbergMarquardt,                       // trainlm
        MaxEpochs = 1000, Goal = 0, MaxValidationFailures = 6,                  // trainParam
    }));

var model = pipeline.Fit(split.TrainSet);
RegressionMetrics m = nets.Regression.Evaluate(model.Transform(split.TestSet), labelColumnName: "MedianHomeValue");
Console.WriteLine($"Test: RMSE {m.RootMeanSquaredError:F3}  MAE {m.MeanAbsoluteError:F3}  R² {m.RSquared:F3}  ({m.Count} rows)");
Console.WriteLine($"Training: {model.LastTransformer.Model.Summary}");

var folds = nets.Regression.CrossValidate(data, pipeline, numberOfFolds: 5, labelColumnName: "MedianHomeValue");
Console.WriteLine("5-fold cross-validation (mean ± std):");
Console.Write(folds.Summarize());

nets.Model.Save(model, data.Schema, "housing.zip");
ITransformer loaded = nets.Model.Load("housing.zip", out var inputSchema);
var engine = nets.Model.CreatePredictionEngine<HousingRow, HousingPrediction>(loaded, inputSchema);
var house = nets.Data.CreateEnumerable<HousingRow>(split.TestSet).First();
Console.WriteLine($"Saved housing.zip; reloaded model predicts {engine.Predict(house).Score:F2} for a house worth {house.MedianHomeValue:F2} ($1000s).");
return 0;

/// <summary>A row of housing.txt: the target first, then 13 features.</summary>
public sealed class HousingRow
{
    public static readonly string[] FeatureColumns =
    [
        nameof(CrimesPerCapita), nameof(PercentResidental), nameof(PercentNonRetail), nameof(CharlesRiver), nameof(NitricOxides),
        nameof(RoomsPerDwelling), nameof(PercentPre40s), nameof(EmploymentDistance), nameof(HighwayDistance), nameof(TaxRate),
        nameof(TeacherRatio), nameof(BlackIndex), nameof(PercentLowIncome),
    ];

    [LoadColumn(0)] public float MedianHomeValue { get; set; }
    [LoadColumn(1)] public float CrimesPerCapita { get; set; }
    [LoadColumn(2)] public float PercentResidental { get; set; }
    [LoadColumn(3)] public float PercentNonRetail { get; set; }
    [LoadColumn(4)] public float CharlesRiver { get; set; }
    [LoadColumn(5)] public float NitricOxides { get; set; }
    [LoadColumn(6)] public float RoomsPerDwelling { get; set; }
    [LoadColumn(7)] public float PercentPre40s { get; set; }
    [LoadColumn(8)] public float EmploymentDistance { get; set; }
    [LoadColumn(9)] public float HighwayDistance { get; set; }
    [LoadColumn(10)] public float TaxRate { get; set; }
    [LoadColumn(11)] public float TeacherRatio { get; set; }
    [LoadColumn(12)] public float BlackIndex { get; set; }
    [LoadColumn(13)] public float PercentLowIncome { get; set; }
}

/// <summary>The trainer's output column.</summary>
public sealed class HousingPrediction
{
    public float Score { get; set; }
}
