using MLNet.Nets.Kernels;

namespace MLNet.Nets.Tests.Kernels;

/// <summary>Naive double-precision convolution and pooling, straight from the definitions, for the kernel tests.</summary>
internal static class ConvolutionReference
{
    public static double[] Forward(in ConvGeometry g, double[] x, double[] w, double[]? b)
    {
        int cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        var y = new double[g.OutputLength];
        for (int n = 0; n < g.Batch; n++)
        for (int k = 0; k < g.OutChannels; k++)
        {
            int grp = k / kg;
            for (int oh = 0; oh < g.OutHeight; oh++)
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                double s = b?[k] ?? 0;
                for (int c = 0; c < cg; c++)
                for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                    int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                    if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                    int ci = grp * cg + c;
                    s += x[((n * g.InChannels + ci) * g.InHeight + ih) * g.InWidth + iw] *
                         w[((k * cg + c) * g.KernelHeight + kh) * g.KernelWidth + kw];
                }
                y[((n * g.OutChannels + k) * g.OutHeight + oh) * g.OutWidth + ow] = s;
            }
        }
        return y;
    }

    /// <summary>Exact adjoints of <see cref="Forward"/>: (dx, dw, db) for output gradient dy.</summary>
    public static (double[] Dx, double[] Dw, double[] Db) Backward(in ConvGeometry g, double[] x, double[] w, double[] dy)
    {
        int cg = g.InChannelsPerGroup, kg = g.OutChannelsPerGroup;
        var dx = new double[g.InputLength];
        var dw = new double[g.WeightLength];
        var db = new double[g.OutChannels];
        for (int n = 0; n < g.Batch; n++)
        for (int k = 0; k < g.OutChannels; k++)
        {
            int grp = k / kg;
            for (int oh = 0; oh < g.OutHeight; oh++)
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                double d = dy[((n * g.OutChannels + k) * g.OutHeight + oh) * g.OutWidth + ow];
                db[k] += d;
                for (int c = 0; c < cg; c++)
                for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int ih = oh * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                    int iw = ow * g.StrideWidth - g.PadLeft + kw * g.DilationWidth;
                    if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                    int xi = ((n * g.InChannels + grp * cg + c) * g.InHeight + ih) * g.InWidth + iw;
                    int wi = ((k * cg + c) * g.KernelHeight + kh) * g.KernelWidth + kw;
                    dx[xi] += d * w[wi];
                    dw[wi] += d * x[xi];
                }
            }
        }
        return (dx, dw, db);
    }

    /// <summary>conv_transpose2d from its definition: every input pixel scatters kernel·value into the output.</summary>
    public static double[] TransposedForward(int batch, int cin, int h, int wd, int cout, int kh, int kw, int s, int pad, int outPad, int dil, int groups,
        double[] x, double[] w, double[]? b, out int oh, out int ow)
    {
        oh = (h - 1) * s - 2 * pad + dil * (kh - 1) + outPad + 1;
        ow = (wd - 1) * s - 2 * pad + dil * (kw - 1) + outPad + 1;
        int cinG = cin / groups, coutG = cout / groups;
        var y = new double[batch * cout * oh * ow];
        for (int n = 0; n < batch; n++)
        for (int co = 0; co < cout; co++)
        for (int i = 0; i < oh * ow; i++)
            y[(n * cout + co) * oh * ow + i] = b?[co] ?? 0;
        for (int n = 0; n < batch; n++)
        for (int ci = 0; ci < cin; ci++)
        {
            int grp = ci / cinG;
            for (int ih = 0; ih < h; ih++)
            for (int iw = 0; iw < wd; iw++)
            {
                double v = x[((n * cin + ci) * h + ih) * wd + iw];
                for (int c = 0; c < coutG; c++)
                for (int a = 0; a < kh; a++)
                for (int bb = 0; bb < kw; bb++)
                {
                    int y0 = ih * s - pad + a * dil, x0 = iw * s - pad + bb * dil;
                    if (y0 < 0 || y0 >= oh || x0 < 0 || x0 >= ow) continue;
                    int co = grp * coutG + c;
                    y[((n * cout + co) * oh + y0) * ow + x0] += v * w[((ci * coutG + c) * kh + a) * kw + bb];
                }
            }
        }
        return y;
    }

    public static double[] MaxPool(in PoolGeometry g, double[] x) => Pool(g, x, max: true, countIncludePad: false);

    public static double[] AvgPool(in PoolGeometry g, double[] x, bool countIncludePad) => Pool(g, x, max: false, countIncludePad);

    private static double[] Pool(in PoolGeometry g, double[] x, bool max, bool countIncludePad)
    {
        var y = new double[g.OutputLength];
        for (int p = 0; p < g.Batch * g.Channels; p++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        for (int ow = 0; ow < g.OutWidth; ow++)
        {
            double acc = max ? double.NegativeInfinity : 0;
            int area = 0, count = 0;
            for (int a = 0; a < g.KernelHeight; a++)
            for (int b = 0; b < g.KernelWidth; b++)
            {
                int ih = oh * g.StrideHeight - g.PadTop + a, iw = ow * g.StrideWidth - g.PadLeft + b;
                if (ih >= -g.PadTop && ih < g.InHeight + g.PadBottom && iw >= -g.PadLeft && iw < g.InWidth + g.PadRight) area++;
                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                double v = x[(p * g.InHeight + ih) * g.InWidth + iw];
                count++;
                acc = max ? Math.Max(acc, v) : acc + v;
            }
            y[(p * g.OutHeight + oh) * g.OutWidth + ow] = max ? acc : acc / (countIncludePad ? area : count);
        }
        return y;
    }
}
