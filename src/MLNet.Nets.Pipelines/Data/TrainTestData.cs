namespace MLNet.Nets.Data;

/// <summary>A training set and a test set (see <c>nets.Data.TrainTestSplit</c>).</summary>
/// <param name="TrainSet">The rows to train on.</param>
/// <param name="TestSet">The held-out rows.</param>
public sealed record TrainTestData(IDataView TrainSet, IDataView TestSet);
