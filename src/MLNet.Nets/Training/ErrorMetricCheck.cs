using MLNet.Nets.Tensors;

namespace MLNet.Nets.Training;

internal static class ErrorMetricCheck
{
    public static void SameLength(Tensor prediction, Tensor target, string metric)
    {
        if (prediction.Length != target.Length)
        {
            throw new ArgumentException(
                $"Metric '{metric}' compares element by element, but the prediction is {prediction.ShapeString} and the target {target.ShapeString}.");
        }
    }
}
