using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Layers;

/// <summary>
/// Checks a layer's forward pass against a double-precision reference and its backward pass (input and parameter
/// gradients) against central differences of that reference, with loss = Σ output·R for a random R.
/// </summary>
internal static class LayerCheck
{
    /// <param name="layer">A built layer.</param>
    /// <param name="inputs">Batched inputs.</param>
    /// <param name="reference">(inputs, parameters) in double → output in double, row-major.</param>
    /// <param name="seed">Seed of R.</param>
    /// <param name="differentiableInputs">Which inputs to check (default all).</param>
    public static void Run(Layer layer, Tensor[] inputs, Func<double[][], double[][], double[]> reference, int seed = 1,
        double rtol = 2e-3, double atol = 1e-4, bool[]? differentiableInputs = null, string what = "")
    {
        var xs = inputs.Select(t => Numerics.ToDouble(t.Span)).ToArray();
        var ps = layer.Parameters.Select(p => Numerics.ToDouble(p.Value.Span)).ToArray();
        var y = layer.ForwardAll(inputs, training: true);
        Numerics.AssertClose(reference(xs, ps), y.Span, 1e-4, 1e-5, $"{layer} forward {what}");
        var r = new Tensor(Numerics.RandomArray(new Random(seed), y.Length), y.Shape);
        var rd = Numerics.ToDouble(r.Span);
        var grads = layer.BackwardAll(r);
        Assert.AreEqual(inputs.Length, grads.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (differentiableInputs is not null && !differentiableInputs[i]) continue;
            Assert.IsNotNull(grads[i], $"{layer}: gradient of input {i}");
            CollectionAssert.AreEqual(inputs[i].Shape.ToArray(), grads[i]!.Shape.ToArray(), $"{layer}: gradient shape of input {i}");
            int k = i;
            var numeric = GradientCheck.Numerical(v =>
            {
                var copy = (double[][])xs.Clone();
                copy[k] = v;
                return GradientCheck.Dot(reference(copy, ps), rd);
            }, xs[i]);
            GradientCheck.AssertClose(grads[i]!.Span, numeric, rtol, atol, $"{layer} d input {i} {what}");
        }
        for (int p = 0; p < ps.Length; p++)
        {
            int k = p;
            var numeric = GradientCheck.Numerical(v =>
            {
                var copy = (double[][])ps.Clone();
                copy[k] = v;
                return GradientCheck.Dot(reference(xs, copy), rd);
            }, ps[p]);
            GradientCheck.AssertClose(layer.Parameters[p].Gradient.Span, numeric, rtol, atol, $"{layer} d {layer.Parameters[p].Name} {what}");
        }
    }

    /// <summary>A batched tensor [n, shape...] of uniform values in [-scale, scale).</summary>
    public static Tensor RandomInput(Random random, int n, int[] shape, float scale = 1f)
    {
        var full = new int[shape.Length + 1];
        full[0] = n;
        shape.CopyTo(full, 1);
        var t = new Tensor(full);
        Numerics.RandomArray(random, t.Length, scale).CopyTo(t.Span);
        return t;
    }

    /// <summary>Round-trips a layer's configuration through JSON text.</summary>
    public static LayerConfig RoundTrip(Layer layer) =>
        new(System.Text.Json.Nodes.JsonNode.Parse(layer.GetConfig().ToString())!.AsObject());

    /// <summary>Asserts that a few training steps after the first allocate nothing on this thread.</summary>
    public static void AssertNoSteadyStateAllocation(Layer layer, Tensor[] inputs)
    {
        void Step()
        {
            var y = layer.ForwardAll(inputs, true);
            layer.BackwardAll(y);
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Step();
        Assert.AreEqual(0, GC.GetAllocatedBytesForCurrentThread() - before, $"{layer} allocates in steady state");
    }
}
