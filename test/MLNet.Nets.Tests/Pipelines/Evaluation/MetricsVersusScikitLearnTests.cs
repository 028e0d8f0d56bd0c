using System.Globalization;
using System.Text.Json;
using MLNet.Nets.Evaluation;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Pipelines.Evaluation;

/// <summary>Every metric against scikit-learn's metric functions on the same predictions, to 1e-6.</summary>
[TestClass]
public sealed class MetricsVersusScikitLearnTests
{
    private const double Tolerance = 1e-6;

    private static string Floats(IEnumerable<float> values) => "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static JsonElement Sklearn(string script, object input) =>
        JsonDocument.Parse(Python.Run("import json, sys, numpy as np\nfrom sklearn import metrics as M\nd = json.load(sys.stdin)\n" + script, JsonSerializer.Serialize(input))).RootElement;

    private static void Close(double expected, double actual, string what) =>
        Assert.AreEqual(expected, actual, Tolerance * Math.Max(1, Math.Abs(expected)), what);

    [TestMethod]
    public void RegressionMetricsMatchScikitLearn()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 500).Select(_ => (float)(random.NextDouble() * 50)).ToArray();
        var scores = labels.Select(l => l + (float)(random.NextDouble() * 8 - 4)).ToArray();
        var m = RegressionEvaluator.Evaluate(labels, scores);
        var r = Sklearn("""
            y = np.array(d['y'], dtype=np.float64); p = np.array(d['p'], dtype=np.float64)
            print(json.dumps({'mae': M.mean_absolute_error(y, p), 'mse': M.mean_squared_error(y, p), 'r2': M.r2_score(y, p)}))
            """, new { y = labels, p = scores });
        Close(r.GetProperty("mae").GetDouble(), m.MeanAbsoluteError, "MAE");
        Close(r.GetProperty("mse").GetDouble(), m.MeanSquaredError, "MSE");
        Close(Math.Sqrt(r.GetProperty("mse").GetDouble()), m.RootMeanSquaredError, "RMSE");
        Close(r.GetProperty("r2").GetDouble(), m.RSquared, "R²");
        Close(m.MeanSquaredError, m.LossFunction, "loss function");
    }

    [TestMethod]
    public void BinaryMetricsMatchScikitLearnWithTiesAndEdgeCases()
    {
        var random = new Random(5);
        var cases = new List<(bool[] Labels, float[] Scores)>();
        // Random scores, scores rounded to create many ties, and perfect separation.
        var labels = Enumerable.Range(0, 400).Select(_ => random.NextDouble() < 0.35).ToArray();
        var scores = labels.Select(l => (float)(random.NextDouble() * 2 - 1 + (l ? 0.8 : 0))).ToArray();
        cases.Add((labels, scores));
        cases.Add((labels, scores.Select(s => MathF.Round(s, 1)).ToArray()));
        cases.Add((labels, labels.Select(l => l ? 2f : -2f).ToArray()));
        var probs = cases.Select(c => c.Scores.Select(s => (float)(1 / (1 + Math.Exp(-s)))).ToArray()).ToArray();
        var r = Sklearn("""
            out = []
            for y, s, p in zip(d['y'], d['s'], d['p']):
                y = np.array(y, dtype=int); s = np.array(s, dtype=np.float64); p = np.array(p, dtype=np.float64)
                pred = (p >= 0.5).astype(int)
                out.append({
                  'acc': M.accuracy_score(y, pred), 'auc': M.roc_auc_score(y, s), 'ap': M.average_precision_score(y, s),
                  'f1': M.f1_score(y, pred, zero_division=0),
                  'pp': M.precision_score(y, pred, zero_division=0), 'pr': M.recall_score(y, pred, zero_division=0),
                  'np': M.precision_score(y, pred, pos_label=0, zero_division=0), 'nr': M.recall_score(y, pred, pos_label=0, zero_division=0),
                  'logloss': M.log_loss(y, np.clip(p, 1e-15, 1 - 1e-15), labels=[0, 1]) / np.log(2),
                  'cm': M.confusion_matrix(y, pred, labels=[0, 1]).tolist()})
            print(json.dumps(out))
            """, new { y = cases.Select(c => c.Labels.Select(l => l ? 1 : 0)).ToArray(), s = cases.Select(c => c.Scores).ToArray(), p = probs });
        for (int i = 0; i < cases.Count; i++)
        {
            var m = BinaryClassificationEvaluator.Evaluate(cases[i].Labels, cases[i].Scores, probs[i]);
            var e = r[i];
            Close(e.GetProperty("acc").GetDouble(), m.Accuracy, $"case {i} accuracy");
            Close(e.GetProperty("auc").GetDouble(), m.AreaUnderRocCurve, $"case {i} AUC");
            Close(e.GetProperty("ap").GetDouble(), m.AreaUnderPrecisionRecallCurve, $"case {i} AUPRC");
            Close(e.GetProperty("f1").GetDouble(), m.F1Score, $"case {i} F1");
            Close(e.GetProperty("pp").GetDouble(), m.PositivePrecision, $"case {i} positive precision");
            Close(e.GetProperty("pr").GetDouble(), m.PositiveRecall, $"case {i} positive recall");
            Close(e.GetProperty("np").GetDouble(), m.NegativePrecision, $"case {i} negative precision");
            Close(e.GetProperty("nr").GetDouble(), m.NegativeRecall, $"case {i} negative recall");
            Close(e.GetProperty("logloss").GetDouble(), m.LogLoss, $"case {i} log-loss (bits)");
            // scikit-learn orders [negative, positive]; ML.NET (and we) [positive, negative].
            var cm = e.GetProperty("cm");
            for (int a = 0; a < 2; a++)
                for (int p = 0; p < 2; p++)
                    Assert.AreEqual(cm[1 - a][1 - p].GetDouble(), m.ConfusionMatrix.Counts[a][p], $"case {i} confusion [{a}][{p}]");
        }
    }

    [TestMethod]
    public void MulticlassMetricsMatchScikitLearnIncludingAnAbsentPrediction()
    {
        var random = new Random(11);
        int n = 600, k = 4;
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(k)).ToArray();
        var probs = new float[n * k];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            var raw = new double[k];
            for (int c = 0; c < k; c++) { raw[c] = Math.Exp(random.NextDouble() * 2 + (c == labels[i] ? 1.2 : 0) - (c == 3 ? 5 : 0)); sum += raw[c]; }
            for (int c = 0; c < k; c++) probs[i * k + c] = (float)(raw[c] / sum);
        }
        var m = MulticlassClassificationEvaluator.Evaluate(labels, probs, k, topK: 2, classNames: ["a", "b", "c", "d"]);
        var r = Sklearn("""
            y = np.array(d['y']); P = np.array(d['p'], dtype=np.float64).reshape(-1, 4); pred = P.argmax(1)
            ll = M.log_loss(y, np.clip(P, 1e-15, None), labels=[0,1,2,3], normalize=True)
            share = np.bincount(y, minlength=4) / len(y); prior = -np.sum([s*np.log(s) for s in share if s > 0])
            print(json.dumps({'micro': M.accuracy_score(y, pred), 'macro': M.balanced_accuracy_score(y, pred), 'logloss': ll,
              'llr': (prior - ll) / prior, 'top2': M.top_k_accuracy_score(y, P, k=2, labels=[0,1,2,3]),
              'prec': M.precision_score(y, pred, average=None, labels=[0,1,2,3], zero_division=0).tolist(),
              'rec': M.recall_score(y, pred, average=None, labels=[0,1,2,3], zero_division=0).tolist(),
              'f1': M.f1_score(y, pred, average=None, labels=[0,1,2,3], zero_division=0).tolist(),
              'cm': M.confusion_matrix(y, pred, labels=[0,1,2,3]).tolist(),
              'perclass': [float(-np.mean(np.log(np.clip(P[y == c, c], 1e-15, None)))) for c in range(4)]}))
            """, new { y = labels, p = probs });
        Assert.AreEqual(0.0, m.ConfusionMatrix.PerClassPrecision[3], "class d is never predicted");
        Close(r.GetProperty("micro").GetDouble(), m.MicroAccuracy, "micro accuracy");
        Close(r.GetProperty("macro").GetDouble(), m.MacroAccuracy, "macro accuracy");
        Close(r.GetProperty("logloss").GetDouble(), m.LogLoss, "log-loss");
        Close(r.GetProperty("llr").GetDouble(), m.LogLossReduction, "log-loss reduction");
        Close(r.GetProperty("top2").GetDouble(), m.TopKAccuracy, "top-2 accuracy");
        for (int c = 0; c < k; c++)
        {
            Close(r.GetProperty("prec")[c].GetDouble(), m.ConfusionMatrix.PerClassPrecision[c], $"precision {c}");
            Close(r.GetProperty("rec")[c].GetDouble(), m.ConfusionMatrix.PerClassRecall[c], $"recall {c}");
            Close(r.GetProperty("f1")[c].GetDouble(), m.ConfusionMatrix.PerClassF1Score[c], $"F1 {c}");
            Close(r.GetProperty("perclass")[c].GetDouble(), m.PerClassLogLoss[c], $"per-class log-loss {c}");
            for (int p = 0; p < k; p++) Assert.AreEqual(r.GetProperty("cm")[c][p].GetDouble(), m.ConfusionMatrix.Counts[c][p], $"confusion [{c}][{p}]");
        }
        Assert.AreEqual(1.0, m.TopKAccuracyForAllK[^1], 1e-12);
    }

    [TestMethod]
    public void FormattedTableShowsCountsRecallPrecisionAndF1ByHand()
    {
        // actual a: 3 right, 1 as b; actual b: 2 right. Precision a 3/3, b 2/3; recall a 3/4, b 1; F1 a 6/7, b 0.8.
        var cm = new ConfusionMatrix([[3, 1], [0, 2]], ["a", "b"]);
        string table = cm.GetFormattedConfusionTable();
        StringAssert.Contains(table, "0.7500");
        StringAssert.Contains(table, "0.6667");
        StringAssert.Contains(table, (6.0 / 7).ToString("0.0000", CultureInfo.InvariantCulture));
        StringAssert.Contains(table, "0.8000");
        var lines = table.Split('\n');
        Assert.IsTrue(lines.Any(l => l.StartsWith("a ", StringComparison.Ordinal) && l.Contains(" 3 |") && l.Contains(" 1 |")), table);
        Assert.AreEqual(6.0 / 7, cm.PerClassF1Score[0], 1e-12);
    }

    [TestMethod]
    public void CrossValidationSummaryGivesMeanAndSampleStandardDeviation()
    {
        var folds = new[] { 1f, 2f, 4f }.Select(e => RegressionEvaluator.Evaluate([0f, 0f], [e, -e])).ToList();
        var summary = new MetricsSummary<RegressionMetrics>(folds);
        Assert.AreEqual(7.0 / 3, summary.Mean(m => m.MeanAbsoluteError), 1e-12);
        Assert.AreEqual(Math.Sqrt(((1 - 7.0 / 3) * (1 - 7.0 / 3) + (2 - 7.0 / 3) * (2 - 7.0 / 3) + (4 - 7.0 / 3) * (4 - 7.0 / 3)) / 2), summary.StandardDeviation(m => m.MeanAbsoluteError), 1e-12);
        StringAssert.Contains(summary.ToString(), "MeanAbsoluteError");
    }
}
