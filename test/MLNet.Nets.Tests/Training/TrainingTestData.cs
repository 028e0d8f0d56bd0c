using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Tests.Training;

/// <summary>Small problems and a naive double-precision network shared by the trainer tests.</summary>
internal static class TrainingTestData
{
    public static Tensor RandomMatrix(Random random, int rows, int cols, double scale = 1)
    {
        var t = new Tensor(rows, cols);
        for (int i = 0; i < t.Length; i++) t[i] = (float)(scale * (2 * random.NextDouble() - 1));
        return t;
    }

    /// <summary>The layers' weights and biases packed in parameter order, as doubles.</summary>
    public static double[] Pack(IReadOnlyList<Dense> layers)
    {
        var list = new List<double>();
        foreach (var layer in layers)
        {
            foreach (float v in layer.Weight.Value.Span) list.Add(v);
            foreach (float v in layer.Bias!.Value.Span) list.Add(v);
        }
        return list.ToArray();
    }

    /// <summary>Naive forward of one row with packed weights (tanh, sigmoid or linear layers).</summary>
    public static double[] Output(IReadOnlyList<Dense> layers, double[] w, Tensor x, int row)
    {
        int inputs = x.Dim(1);
        var a = new double[inputs];
        for (int i = 0; i < inputs; i++) a[i] = x[row, i];
        int offset = 0;
        foreach (var layer in layers)
        {
            int inCount = a.Length, units = layer.Units;
            var next = new double[units];
            for (int j = 0; j < units; j++)
            {
                double z = w[offset + units * inCount + j];
                for (int i = 0; i < inCount; i++) z += w[offset + j * inCount + i] * a[i];
                next[j] = layer.Activation switch
                {
                    Activation.Tanh => Math.Tanh(z),
                    Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
                    Activation.Linear => z,
                    _ => throw new NotSupportedException(),
                };
            }
            offset += units * inCount + units;
            a = next;
        }
        return a;
    }

    /// <summary>Mean squared error of the naive network over all rows and outputs.</summary>
    public static double Mse(IReadOnlyList<Dense> layers, double[] w, Tensor x, Tensor y)
    {
        double sse = 0;
        int outputs = y.Dim(1);
        for (int r = 0; r < x.Dim(0); r++)
        {
            var o = Output(layers, w, x, r);
            for (int k = 0; k < outputs; k++) sse += Math.Pow(y[r, k] - o[k], 2);
        }
        return sse / (x.Dim(0) * outputs);
    }

    public static double Rmse(Tensor prediction, Tensor target)
    {
        double sse = 0;
        for (int i = 0; i < prediction.Length; i++) sse += Math.Pow(prediction[i] - target[i], 2);
        return Math.Sqrt(sse / prediction.Length);
    }

    /// <summary>x = linspace(−π, π, n), y = sin x, both [n, 1].</summary>
    public static (Tensor X, Tensor Y) Sine(int n)
    {
        var x = new Tensor(n, 1);
        var y = new Tensor(n, 1);
        for (int i = 0; i < n; i++)
        {
            double v = -Math.PI + 2 * Math.PI * i / (n - 1);
            x[i] = (float)v;
            y[i] = (float)Math.Sin(v);
        }
        return (x, y);
    }
}
