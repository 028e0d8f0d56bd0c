using MLNet.Nets.Layers;
using MLNet.Nets.Losses;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Models;

[TestClass]
public class ModelGraphTests
{
    /// <summary>x → a (feeds two branches) → b, c → b + c → out: a's gradient is the sum of both branches.</summary>
    private static Model BranchingModel(out Layer first)
    {
        var x = Input.Create([4], seed: 11);
        first = new Dense(3, Activation.Tanh);
        var a = first.Call(x);
        var b = new Dense(3, Activation.Tanh).Call(a);
        var c = new Dense(3).Call(a);
        var d = new TestAdd().Call(b, c);
        var y = new Dense(2).Call(d);
        return new Model(x, y);
    }

    /// <summary>Each parameter's gradient from the last Backward against central differences of the loss.</summary>
    private static void AssertGradientsMatchFiniteDifferences(Model model, MeanSquaredError loss, Tensor x, Tensor target)
    {
        foreach (var p in model.Parameters)
        {
            var analytic = p.Gradient.Span.ToArray();
            var original = p.Value.Span.ToArray();
            var numeric = GradientCheck.Numerical(v =>
            {
                for (int i = 0; i < v.Length; i++) p.Value[i] = (float)v[i];
                return loss.Compute(model.Forward(x), target);
            }, Numerics.ToDouble(original), h: 1e-2);
            original.CopyTo(p.Value.Span);
            GradientCheck.AssertClose(analytic, numeric, rtol: 2e-2, atol: 1e-4, what: p.Name);
        }
    }

    [TestMethod]
    public void BackwardThroughBranchesMatchesFiniteDifferences()
    {
        var model = BranchingModel(out _);
        var random = new Random(5);
        var x = new Tensor(Numerics.RandomArray(random, 3 * 4), 3, 4);
        var t = new Tensor(Numerics.RandomArray(random, 3 * 2), 3, 2);
        var loss = new MeanSquaredError();
        var output = model.Forward(x, training: true);
        var grad = new Tensor(output.Shape);
        loss.Compute(output, t, grad);
        model.Backward(grad);

        AssertGradientsMatchFiniteDifferences(model, loss, x, t);
    }

    [TestMethod]
    public void PooledInputGradients_StayCorrectAcrossStepsWithBranchesViewsAndEqualSizes()
    {
        // Every inner tensor here has the same size, so the model's gradient pool hands the same buffers from layer to
        // layer; the residual Add, a pass-through add that hands one buffer to two convolutions, the Multiply, the
        // Concatenate and the Flatten view keep gradients alive for more than one consumer. After a first step on other
        // data, the gradients must still match finite differences (a pool that freed a buffer early fails this).
        var x = Input.Create([2, 4, 4], seed: 3);
        var a = new Conv2D(3, 3, padding: Padding.Same, activation: Activation.Tanh).Call(x);
        var b = new Conv2D(3, 3, padding: Padding.Same).Call(a);
        var c = new Add().Call(a, b);
        var d1 = new Conv2D(3, 3, padding: Padding.Same, activation: Activation.Tanh).Call(c);
        var d2 = new Conv2D(3, 3, padding: Padding.Same).Call(c);
        var sum = new TestAdd().Call(d1, d2);      // hands one gradient buffer to both inputs
        var e = new Multiply().Call(sum, c);
        var f = new Concatenate(axis: 1).Call(c, e);
        var y = new Dense(2).Call(new Flatten().Call(f));
        var model = new Model(x, y);
        var random = new Random(9);
        var loss = new MeanSquaredError();
        var input = new Tensor(Numerics.RandomArray(random, 3 * 32), 3, 2, 4, 4);
        var target = new Tensor(Numerics.RandomArray(random, 3 * 2), 3, 2);
        for (int step = 0; step < 2; step++)
        {
            var xs = step == 0 ? new Tensor(Numerics.RandomArray(random, 3 * 32), 3, 2, 4, 4) : input;
            var output = model.Forward(xs, training: true);
            var grad = new Tensor(output.Shape);
            loss.Compute(output, target, grad);
            model.Backward(grad);
        }
        AssertGradientsMatchFiniteDifferences(model, loss, input, target);
    }

    [TestMethod]
    public void LayersFedOnlyByTheInputSkipTheirInputGradient()
    {
        var model = BranchingModel(out var first);
        Assert.IsFalse(first.NeedsInputGradient);
        Assert.IsTrue(model.Layers.Skip(1).All(l => l.NeedsInputGradient));
    }

    [TestMethod]
    public void FrozenLeadingLayersAreNotBackPropagated()
    {
        var frozen = new Dense(5);
        var second = new Dense(3);
        var model = new Sequential([4], 0, frozen, second, new Dense(2));
        frozen.Trainable = false;
        model.UpdateGradientFlags();
        Assert.IsFalse(frozen.NeedsInputGradient);
        Assert.IsFalse(second.NeedsInputGradient, "a layer fed by a frozen layer that is fed by the input needs no input gradient");
        var x = Tensor.Full(0.5f, 2, 4);
        var y = model.Forward(x, training: true);
        frozen.Parameters[0].Gradient.Fill(123f);
        model.Backward(Tensor.Full(1f, y.Shape.ToArray()));
        Assert.AreEqual(123f, frozen.Parameters[0].Gradient[0], "the frozen layer's backward was not called");
        Assert.AreNotEqual(0f, second.Parameters[0].Gradient.Span.ToArray().Select(Math.Abs).Max());
    }

    [TestMethod]
    public void DefaultNamesAreUniqueKerasStyle()
    {
        var model = new Sequential([3], 0, new Dense(4), new Dense(4, name: "dense_1"), new Dense(2), new Dense(1));
        CollectionAssert.AreEqual(new[] { "dense", "dense_1", "dense_2", "dense_3" }, model.Layers.Select(l => l.Name).ToArray());
        Assert.AreEqual("conv2d", Model.DefaultName("Conv2D"));
        Assert.AreEqual("conv2d_transpose", Model.DefaultName("Conv2DTranspose"));
        Assert.AreEqual("batch_normalization", Model.DefaultName("BatchNormalization"));
        Assert.AreEqual("max_pool2d", Model.DefaultName("MaxPool2D"));
        Assert.AreEqual("depthwise_conv2d", Model.DefaultName("DepthwiseConv2D"));
    }

    [TestMethod]
    public void DuplicateNamesAndReusedLayersAreRejected()
    {
        var ex = Assert.ThrowsException<ArgumentException>(() => new Sequential([3], 0, new Dense(4, name: "a"), new Dense(4, name: "a")));
        StringAssert.Contains(ex.Message, "'a'");
        var x = Input.Create(3);
        var shared = new Dense(3);
        var twice = shared.Call(shared.Call(x));
        StringAssert.Contains(Assert.ThrowsException<ArgumentException>(() => new Model(x, twice)).Message, "more than once");
    }

    [TestMethod]
    public void InputShapeErrorsNameTheInput()
    {
        var model = new Sequential([3], 0, new Dense(2));
        var ex = Assert.ThrowsException<ArgumentException>(() => model.Forward(new Tensor(2, 4)));
        StringAssert.Contains(ex.Message, "[N, 3]");
        StringAssert.Contains(ex.Message, "[2, 4]");
    }

    [TestMethod]
    public void SameSeedGivesSameWeights()
    {
        var a = new Sequential([5], 42, new Dense(4), new Dense(2));
        var b = new Sequential([5], 42, new Dense(4), new Dense(2));
        var c = new Sequential([5], 43, new Dense(4), new Dense(2));
        CollectionAssert.AreEqual(a.Parameters[0].Value.Span.ToArray(), b.Parameters[0].Value.Span.ToArray());
        CollectionAssert.AreNotEqual(a.Parameters[0].Value.Span.ToArray(), c.Parameters[0].Value.Span.ToArray());
    }

    [TestMethod]
    public void SummaryListsLayersShapesAndTotals()
    {
        var model = BranchingModel(out _);
        string text = model.Summary(TextWriter.Null);
        StringAssert.Contains(text, "dense (Dense)");
        StringAssert.Contains(text, "test_add (TestAdd)");
        StringAssert.Contains(text, "(None, 2)");
        StringAssert.Contains(text, "Connected to");
        long expected = (4 * 3 + 3) + 2 * (3 * 3 + 3) + (3 * 2 + 2);
        Assert.AreEqual(expected, model.ParameterCount);
        StringAssert.Contains(text, $"Total params: {expected}");
        StringAssert.Contains(text, $"Trainable params: {expected}");
        StringAssert.Contains(text, "Non-trainable params: 0");
    }

    [TestMethod]
    public void SummaryParameterCountsEqualPyTorch()
    {
        var model = new Sequential([400], 0, new Dense(120, Activation.ReLU), new Dense(84, Activation.ReLU), new Dense(10));
        model.Layers[0].Trainable = false;
        string script = """
m = torch.nn.Sequential(torch.nn.Linear(400, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))
for p in m[0].parameters(): p.requires_grad = False
print(sum(p.numel() for p in m.parameters()), sum(p.numel() for p in m.parameters() if p.requires_grad))
""";
        var parts = PythonPeer.Run(script).Trim().Split(' ');
        Assert.AreEqual(long.Parse(parts[0]), model.ParameterCount);
        Assert.AreEqual(long.Parse(parts[1]), model.TrainableParameterCount);
        StringAssert.Contains(model.Summary(TextWriter.Null), $"Total params: {long.Parse(parts[0]):N0}");
    }
}
