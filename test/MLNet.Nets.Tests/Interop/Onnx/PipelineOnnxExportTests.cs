using MLNet.Nets.Data;
using MLNet.Nets.Datasets;
using MLNet.Nets.Interop;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;
using MLNet.Nets.Trainers;
using MLNet.Nets.Transforms;

namespace MLNet.Nets.Tests.Interop.Onnx;

/// <summary>Whole fitted pipelines (normalizer + network + ML.NET output columns) exported to ONNX and run by ONNX Runtime.</summary>
[TestClass]
public sealed class PipelineOnnxExportTests
{
    public sealed class HousingRow
    {
        [LoadColumn(0)] public float MedianHomeValue { get; set; }
        [LoadColumn(1, 13), VectorType(13)] public float[] Features { get; set; } = [];
    }

    private static (IDataView Data, Tensor X) Housing(NetsContext nets)
    {
        var data = nets.Data.LoadFromTextFile<HousingRow>(DataDirectory.Find("housing/housing.txt"), '\t', hasHeader: true);
        var x = data.GetColumn<float>("Features");
        return (data, new Tensor(x, x.Length / 13, 13));
    }

    [TestMethod]
    public void NormalizedBpRegressionPipelineMatchesOnnxRuntime()
    {
        var nets = new NetsContext(0);
        var (data, x) = Housing(nets);
        // One network, and an ensemble of three averaged into one wider network (as the AutoML refit makes them).
        foreach (int ensemble in new[] { 1, 3 })
        {
            var model = nets.Transforms.NormalizeMinMax("Features", fixZero: false)
                .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", MaxEpochs = 50, Seed = 1, EnsembleSize = ensemble }))
                .Fit(data);
            string file = Path.Combine(OnnxTestModels.Scratch(nameof(NormalizedBpRegressionPipelineMatchesOnnxRuntime)), $"housing-{ensemble}.onnx");
            PipelineOnnxExporter.Export(model, data.Schema, file);
            OnnxTestModels.Check(file);
            var expected = model.Transform(data).GetColumn<float>("Score");
            var actual = OrtPeer.Run(file, x);
            Numerics.AssertCloseToScale(expected, actual.Span, what: $"pipeline Score, ensemble of {ensemble}");
        }
    }

    [TestMethod]
    public void MulticlassBpPipelineExportsSoftmaxScores()
    {
        var nets = new NetsContext(0);
        var (data, x) = Housing(nets);
        var labelled = nets.Transforms.CustomMapping<HousingRow, BandRow>((r, b) => b.Band = r.MedianHomeValue < 18 ? "low" : r.MedianHomeValue < 25 ? "mid" : "high", null)
            .Fit(data).Transform(data).Cache();
        var model = nets.Transforms.Conversion.MapValueToKey("Band")
            .Append(nets.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Append(nets.MulticlassClassification.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "Band", MaxEpochs = 30, Seed = 1 }))
            .Append(nets.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(labelled);
        string file = Path.Combine(OnnxTestModels.Scratch(nameof(MulticlassBpPipelineExportsSoftmaxScores)), "bands.onnx");
        PipelineOnnxExporter.Export(model, labelled.Schema, file);
        OnnxTestModels.Check(file);
        var expected = model.Transform(labelled).GetColumn<float>("Score");
        var actual = OrtPeer.Run(file, x);
        CollectionAssert.AreEqual(new[] { x.Dim(0), 3 }, actual.Shape.ToArray());
        Numerics.AssertCloseToScale(expected, actual.Span, what: "class probabilities");
    }

    public sealed class BandRow { public string Band { get; set; } = ""; }

    [TestMethod]
    public void AStepWithoutAnOnnxFormIsNamed()
    {
        var nets = new NetsContext(0);
        var (data, _) = Housing(nets);
        var model = nets.Transforms.NormalizeLogMeanVariance("Features")
            .Append(nets.Regression.Trainers.BackPropagation(new BackPropagationOptions { LabelColumnName = "MedianHomeValue", MaxEpochs = 2 }))
            .Fit(data);
        var e = Assert.ThrowsException<NotSupportedException>(() => PipelineOnnxExporter.ToModelProto(model, data.Schema));
        StringAssert.Contains(e.Message, "LogMeanVariance");
    }
}
