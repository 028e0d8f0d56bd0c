using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers;

/// <summary>
/// Finite-difference check of a layer's backward pass: loss = Σ y·R accumulated in double over the layer's own float
/// forward, central differences with a step large enough for float outputs, compared with the layer's gradients.
/// </summary>
internal static class ConvolutionalLayerCheck
{
    public static void Gradients(SingleInputLayer layer, int[] sampleShape, int batch = 2, int seed = 5, double h = 1e-2)
    {
        var random = new Random(seed);
        if (!layer.IsBuilt) layer.Build([sampleShape], random);
        var x = new Tensor(Numerics.RandomArray(random, batch * sampleShape.Aggregate(1, (a, b) => a * b)), [batch, .. sampleShape]);
        var y = layer.Forward(x, training: true);
        double[] r = Numerics.ToDouble(Numerics.RandomArray(random, y.Length));
        var dy = new Tensor(r.Select(v => (float)v).ToArray(), y.Shape);
        var dx = layer.Backward(dy)!.Clone();
        var paramGrads = layer.Parameters.Select(p => p.Gradient.Clone()).ToArray();

        double Loss()
        {
            var o = layer.Forward(x, training: true).Span;
            double s = 0;
            for (int i = 0; i < o.Length; i++) s += o[i] * r[i];
            return s;
        }

        GradientCheck.AssertClose(dx.Span, Numerical(x.Span.ToArray(), v => v.CopyTo(x.Span), Loss, h), 1e-2, 2e-3, $"{layer.TypeName}: dx");
        for (int p = 0; p < layer.Parameters.Count; p++)
        {
            var param = layer.Parameters[p];
            GradientCheck.AssertClose(paramGrads[p].Span, Numerical(param.Value.Span.ToArray(), v => v.CopyTo(param.Value.Span), Loss, h),
                1e-2, 2e-3, $"{layer.TypeName}: d{param.Name}");
        }
    }

    private static double[] Numerical(float[] values, Action<float[]> set, Func<double> loss, double h)
    {
        var grad = new double[values.Length];
        var probe = (float[])values.Clone();
        for (int i = 0; i < values.Length; i++)
        {
            // The step actually taken in float, so rounding of the probe does not bias the slope.
            float up = (float)(values[i] + h), down = (float)(values[i] - h);
            probe[i] = up;
            set(probe);
            double plus = loss();
            probe[i] = down;
            set(probe);
            double minus = loss();
            probe[i] = values[i];
            grad[i] = (plus - minus) / ((double)up - down);
        }
        set(values);
        return grad;
    }
}
