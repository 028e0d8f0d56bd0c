using MLNet.Nets.Layers;
using MLNet.Nets.Models;
using MLNet.Nets.Tensors;
using MLNet.Nets.Training;
using MLNet.Nets.Tests.Vision.Weights;

namespace MLNet.Nets.Tests.Interop.Onnx;

/// <summary>The networks and inputs the ONNX tests export, import and compare.</summary>
internal static class OnnxTestModels
{
    /// <summary>A folder for the files one test writes, under the temp folder.</summary>
    public static string Scratch(string test)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnet-nets-test-data", "onnx-tests", test);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Uniform values in [-1, 1) of the given shape from a seeded generator.</summary>
    public static Tensor Random(int seed, params int[] shape) => Tensor.RandomUniform(new Random(seed), -1f, 1f, shape);

    /// <summary>Runs onnx.checker.check_model(full_check=True) on the files; fails the test with the checker's message.</summary>
    public static void Check(params string[] files)
    {
        string output = WeightsPython.RunScript(PeerScript(), ["check", .. files]);
        foreach (var f in files) StringAssert.Contains(output, "ok " + f);
    }

    /// <summary>The path of onnx_peer.py, next to this file.</summary>
    public static string PeerScript([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "onnx_peer.py");

    /// <summary>A BP regressor 13-10-1 trained briefly by Levenberg–Marquardt on synthetic data with min-max scalers.</summary>
    public static (FeedForwardNetwork Net, Tensor X) BpRegressor()
    {
        var random = new Random(3);
        int rows = 60;
        var x = new Tensor(rows, 13);
        var y = new Tensor(rows, 1);
        for (int r = 0; r < rows; r++)
        {
            double target = 0;
            for (int c = 0; c < 13; c++)
            {
                // Columns on different scales, and column 5 constant (a scaler gain of 0).
                float v = c == 5 ? 7f : (float)((random.NextDouble() * 2 - 1) * (c + 1) * 10 + c);
                x[r, c] = v;
                target += Math.Sin(0.05 * v * (c % 3 + 1));
            }
            y[r, 0] = (float)(200 + 50 * target);
        }
        var net = FeedForwardNetwork.Create(13, [10], 1, seed: 4);
        net.Train(x, y, new LevenbergMarquardt(new LevenbergMarquardtOptions { Epochs = 20 }));
        return (net, x);
    }

    /// <summary>A small functional model with residual Add, Concatenate, Multiply (broadcast gate) and a Dense head.</summary>
    public static Model Functional()
    {
        var input = Input.Create([3, 12, 12], seed: 5, name: "image");
        var a = new Conv2D(8, 3, padding: Padding.Same, activation: Activation.ReLU, name: "a").Call(input);
        var b = new Conv2D(8, 3, padding: Padding.Same, name: "b").Call(a);
        var sum = new Add(name: "residual").Call(a, b);
        var c = new Conv2D(4, 1, name: "c").Call(input);
        var cat = new Concatenate(1, name: "cat").Call(sum, c);
        var gate = new GlobalAvgPool2D(keepDims: true, name: "squeeze").Call(cat);
        gate = new Conv2D(12, 1, activation: Activation.Sigmoid, name: "excite").Call(gate);
        var scaled = new Multiply(name: "scale").Call(cat, gate);
        var pooled = new GlobalAvgPool2D(name: "pool").Call(scaled);
        var output = new Dense(5, Activation.Softmax, name: "head").Call(pooled);
        return new Model(input, output);
    }

    /// <summary>An image model that uses every exportable image layer and activation.</summary>
    public static Model AllImageLayers()
    {
        var input = Input.Create([3, 17, 15], seed: 6, name: "pixels");
        var x = new ZeroPadding2D(1, 2, 0, 1, name: "pad").Call(input);
        x = new Conv2D(8, (3, 5), (2, 1), Padding.Same, dilation: (1, 2), activation: Activation.LeakyReLU, name: "conv_same").Call(x);
        x = new BatchNormalization(name: "bn").Call(x);
        x = new DepthwiseConv2D(3, padding: Padding.Same, depthMultiplier: 2, activation: Activation.ELU, name: "dw").Call(x);
        x = new Conv2D(8, 3, padding: Padding.Same, groups: 4, activation: Activation.HardSwish, name: "grouped").Call(x);
        x = new SeparableConv2D(6, 3, stride: 2, padding: Padding.Same, activation: Activation.Swish, name: "sep").Call(x);
        x = new PReLU(name: "prelu").Call(x);
        x = new Conv2DTranspose(5, 3, stride: 2, padding: Padding.Same, activation: Activation.Softplus, name: "up").Call(x);
        x = new Conv2DTranspose(4, (3, 3), (2, 2), (1, 0, 1, 1), outputPadding: (1, 0), name: "up_explicit").Call(x);
        x = new ActivationLayer(Activation.HardSigmoid, name: "hsig").Call(x);
        var m = new MaxPool2D(3, 2, Padding.Same, name: "maxpool").Call(x);
        var avg = new AvgPool2D(3, 2, Padding.Same, name: "avgpool_same").Call(x);
        var avgPad = new AvgPool2D((3, 3), (2, 2), (1, 1, 1, 1), countIncludePad: true, name: "avgpool_pad").Call(x);
        x = new Concatenate(1, name: "cat").Call(m, avg, avgPad);
        x = new ActivationLayer(Activation.ReLU6, name: "relu6").Call(x);
        var g1 = new GlobalMaxPool2D(name: "gmax").Call(x);
        var g2 = new GlobalAvgPool2D(name: "gavg").Call(new ActivationLayer(Activation.Tanh, name: "tanh").Call(x));
        x = new Add(name: "sum").Call(g1, g2, new PReLU(perChannel: false, name: "prelu_shared").Call(g1));
        x = new Dropout(0.3f, name: "drop").Call(x);
        x = new Reshape([2, -1], name: "reshape").Call(x);
        x = new Flatten(name: "flat").Call(x);
        x = new Dense(7, Activation.Sigmoid, name: "fc").Call(x);
        x = new Dense(4, useBias: false, name: "fc_nobias").Call(x);
        return new Model(input, x);
    }

    /// <summary>A sequence model: 1-D convolution and pooling, embedding lookups.</summary>
    public static Model Sequence()
    {
        var input = Input.Create([6], seed: 7, name: "tokens");
        var x = new Embedding(20, 5, name: "embed").Call(input);              // [N, 6, 5]: 6 channels of length 5
        x = new Conv1D(8, 3, padding: Padding.Same, activation: Activation.ReLU, name: "conv1d").Call(x);
        x = new Conv1D(8, 2, stride: 1, padding: (1, 0), dilation: 2, groups: 2, name: "conv1d_explicit").Call(x);
        var m = new MaxPool1D(2, 1, (0, 1), name: "maxpool1d").Call(x);
        var a = new AvgPool1D(3, 1, Padding.Same, name: "avgpool1d").Call(x);
        x = new Multiply(name: "mul").Call(m, a);
        x = new ActivationLayer(Activation.Softmax, name: "softmax").Call(new Flatten(name: "flat").Call(x));
        return new Model(input, x);
    }

    /// <summary>Integer token ids in [0, 20).</summary>
    public static Tensor Tokens(int seed, int batch)
    {
        var random = new Random(seed);
        var t = new Tensor(batch, 6);
        for (int i = 0; i < t.Length; i++) t.Span[i] = random.Next(20);
        return t;
    }
}
