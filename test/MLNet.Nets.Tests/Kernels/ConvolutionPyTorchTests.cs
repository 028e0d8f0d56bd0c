using System.Diagnostics;
using System.Text.Json;
using MLNet.Nets.Kernels;
using MLNet.Nets.Tests.Support;

namespace MLNet.Nets.Tests.Kernels;

/// <summary>
/// Cross-checks the convolution and pooling kernels against PyTorch (torch.nn.functional) on inputs both sides build
/// from the same formulas, so no data files are needed.
/// </summary>
[TestClass]
public sealed class ConvolutionPyTorchTests
{
    private const string Script = """
import json, sys
import numpy as np
import torch
import torch.nn.functional as F
torch.set_num_threads(1)
def sig(n, a, b, s=1.0, fn=np.sin):
    return torch.from_numpy((s * fn(a * np.arange(n, dtype=np.float64) + b)).astype(np.float32))
out = {}
x = sig(2*4*9*11, 0.37, 0.1).reshape(2, 4, 9, 11).requires_grad_()
w = sig(6*2*3*3, 0.23, 0.0, 0.5, np.cos).reshape(6, 2, 3, 3).requires_grad_()
b = sig(6, 0.5, 0.3, 0.2)
y = F.conv2d(x, w, b, stride=(2, 1), padding=(1, 1), dilation=(1, 2), groups=2)
r = sig(y.numel(), 0.11, 0.7).reshape(y.shape)
(y * r).sum().backward()
out["conv"] = y.detach().flatten().tolist(); out["conv_dx"] = x.grad.flatten().tolist(); out["conv_dw"] = w.grad.flatten().tolist()
xd = sig(2*3*8*8, 0.37, 0.1).reshape(2, 3, 8, 8)
wd = sig(6*1*3*3, 0.23, 0.0, 0.5, np.cos).reshape(6, 1, 3, 3)
out["depthwise"] = F.conv2d(xd, wd, None, stride=2, padding=1, groups=3).flatten().tolist()
xt = sig(2*4*5*5, 0.37, 0.1).reshape(2, 4, 5, 5).requires_grad_()
wt = sig(4*3*3*3, 0.23, 0.0, 0.5, np.cos).reshape(4, 3, 3, 3).requires_grad_()
bt = sig(3, 0.5, 0.3, 0.2)
yt = F.conv_transpose2d(xt, wt, bt, stride=2, padding=1, output_padding=1)
rt = sig(yt.numel(), 0.11, 0.7).reshape(yt.shape)
(yt * rt).sum().backward()
out["tconv"] = yt.detach().flatten().tolist(); out["tconv_dx"] = xt.grad.flatten().tolist(); out["tconv_dw"] = wt.grad.flatten().tolist()
xp = sig(2*3*9*9, 0.37, 0.1).reshape(2, 3, 9, 9)
out["maxpool"] = F.max_pool2d(xp, 3, 2, 1).flatten().tolist()
out["avgpool_incl"] = F.avg_pool2d(xp, 3, 2, 1, count_include_pad=True).flatten().tolist()
out["avgpool_excl"] = F.avg_pool2d(xp, 3, 2, 1, count_include_pad=False).flatten().tolist()
json.dump(out, sys.stdout)
""";

    private static Dictionary<string, float[]>? _torch;

    private static float[] Sig(int n, double a, double b, double s = 1, bool cos = false)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(s * (cos ? Math.Cos(a * i + b) : Math.Sin(a * i + b)));
        return v;
    }

    private static Dictionary<string, float[]> Torch()
    {
        if (_torch is not null) return _torch;
        if (!File.Exists("/usr/bin/python3")) Assert.Inconclusive("/usr/bin/python3 is not installed (build/setup.sh installs it).");
        var psi = new ProcessStartInfo("/usr/bin/python3", "-")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(Script);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, $"PyTorch reference script failed: {stderr}");
        using var doc = JsonDocument.Parse(stdout.Result);
        _torch = doc.RootElement.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray());
        return _torch;
    }

    [TestMethod]
    public void Conv2D_GroupedStridedDilated_MatchesTorchForwardAndBackward()
    {
        var t = Torch();
        var g = new ConvGeometry(2, 4, 9, 11, 6, 3, 3, 2, 1, 1, 1, 1, 1, 1, 2, 2);
        float[] x = Sig(g.InputLength, 0.37, 0.1), w = Sig(g.WeightLength, 0.23, 0, 0.5, true), b = Sig(6, 0.5, 0.3, 0.2);
        var y = new float[g.OutputLength];
        Convolution.Forward(g, x, w, b, y);
        Numerics.AssertClose(t["conv"], y, 1e-4f, 1e-5f, "conv2d");
        float[] r = Sig(g.OutputLength, 0.11, 0.7);
        var dx = new float[g.InputLength];
        var dw = new float[g.WeightLength];
        Convolution.BackwardData(g, r, w, dx);
        Convolution.BackwardWeight(g, x, r, dw);
        Numerics.AssertClose(t["conv_dx"], dx, 1e-4f, 1e-5f, "conv2d dx");
        Numerics.AssertClose(t["conv_dw"], dw, 1e-4f, 1e-4f, "conv2d dw");
    }

    [TestMethod]
    public void Depthwise_Stride2_MatchesTorch()
    {
        var g = new ConvGeometry(2, 3, 8, 8, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 3);
        var y = new float[g.OutputLength];
        Convolution.Forward(g, Sig(g.InputLength, 0.37, 0.1), Sig(g.WeightLength, 0.23, 0, 0.5, true), default, y);
        Numerics.AssertClose(Torch()["depthwise"], y, 1e-4f, 1e-5f, "depthwise");
    }

    [TestMethod]
    public void ConvTranspose2D_MatchesTorchForwardAndBackward()
    {
        var t = Torch();
        var g = TransposedConvolution.Geometry(2, 4, 5, 5, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1);
        float[] x = Sig(2 * 4 * 5 * 5, 0.37, 0.1), w = Sig(4 * 3 * 3 * 3, 0.23, 0, 0.5, true), b = Sig(3, 0.5, 0.3, 0.2);
        var y = new float[g.InputLength];
        TransposedConvolution.Forward(g, x, w, b, y);
        Numerics.AssertClose(t["tconv"], y, 1e-4f, 1e-5f, "conv_transpose2d");
        float[] r = Sig(y.Length, 0.11, 0.7);
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        TransposedConvolution.BackwardData(g, r, w, dx);
        TransposedConvolution.BackwardWeight(g, x, r, dw);
        Numerics.AssertClose(t["tconv_dx"], dx, 1e-4f, 1e-5f, "conv_transpose2d dx");
        Numerics.AssertClose(t["tconv_dw"], dw, 1e-4f, 1e-4f, "conv_transpose2d dw");
    }

    [TestMethod]
    public void Pooling_MatchesTorch()
    {
        var t = Torch();
        var g = new PoolGeometry(2, 3, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1);
        float[] x = Sig(g.InputLength, 0.37, 0.1);
        var y = new float[g.OutputLength];
        MaxPooling.Forward(g, x, y, new int[g.OutputLength]);
        Numerics.AssertClose(t["maxpool"], y, 0, 0, "max_pool2d");
        AveragePooling.Forward(g, x, y, countIncludePad: true);
        Numerics.AssertClose(t["avgpool_incl"], y, 1e-5f, 1e-6f, "avg_pool2d count_include_pad=True");
        AveragePooling.Forward(g, x, y, countIncludePad: false);
        Numerics.AssertClose(t["avgpool_excl"], y, 1e-5f, 1e-6f, "avg_pool2d count_include_pad=False");
    }
}
