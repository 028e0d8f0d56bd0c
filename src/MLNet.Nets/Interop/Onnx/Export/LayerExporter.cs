using MLNet.Nets.Interop.Onnx.Protos;
using MLNet.Nets.Kernels;
using MLNet.Nets.Layers;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Interop.Onnx;

/// <summary>
/// Writes each layer type as ONNX nodes. A layer with a fused activation becomes its operator followed by the
/// activation's; weights become initializers named <c>{layer}.{parameter}</c>, as in the state dict.
/// </summary>
internal static class LayerExporter
{
    /// <summary>Emits <paramref name="layer"/> reading <paramref name="inputs"/> and writing <paramref name="output"/>.</summary>
    /// <returns>The name that holds the layer's result: <paramref name="output"/>, or an input name for a layer left out.</returns>
    public static string Emit(OnnxGraphWriter w, Layer layer, string[] inputs, string output, OnnxExportOptions options)
    {
        string name = layer.Name!;
        switch (layer)
        {
            case Dense d:
            {
                string gemmOut = d.Activation == Activation.Linear ? output : w.Unique(name + "/gemm");
                var args = new List<string> { inputs[0], w.Weight(name + ".weight", d.Weight.Value) };
                if (d.Bias is not null) args.Add(w.Weight(name + ".bias", d.Bias.Value));
                w.Node("Gemm", name, args, gemmOut, AttributeProto.Int("transB", 1));
                return Activate(w, d.Activation, 0, gemmOut, output, name);
            }
            case ActivationLayer a:
                if (a.Activation == Activation.Linear) return w.Node("Identity", name, [inputs[0]], output);
                return Activate(w, a.Activation, a.Alpha, inputs[0], output, name, nodeName: name);
            case PReLU p:
            {
                var dims = new long[p.InputShape.Length];
                Array.Fill(dims, 1L);
                if (p.PerChannel) dims[0] = p.Weight.Value.Length;
                else dims = [1];
                return w.Node("PRelu", name, [inputs[0], w.Weight(name + ".weight", p.Weight.Value, dims)], output);
            }
            case Conv2DTranspose t:
                return ConvTranspose(w, t, inputs[0], output);
            case ConvolutionLayerBase c:
                return Conv(w, c, inputs[0], output);
            case SeparableConv2D s:
                return Separable(w, s, inputs[0], output);
            case PoolingLayerBase p:
                return Pool(w, p, inputs[0], output);
            case GlobalPoolingLayerBase g:
            {
                string op = g is GlobalMaxPool2D ? "GlobalMaxPool" : "GlobalAveragePool";
                if (g.KeepDims) return w.Node(op, name, [inputs[0]], output);
                string pooled = w.Node(op, name, [inputs[0]], w.Unique(name + "/pooled"));
                return w.Node("Flatten", name + "/flatten", [pooled], output, AttributeProto.Int("axis", 1));
            }
            case BatchNormalization b:
                return w.Node("BatchNormalization", name,
                    [inputs[0], w.Weight(name + ".weight", b.Weight.Value), w.Weight(name + ".bias", b.Bias.Value),
                     w.Weight(name + ".running_mean", b.RunningMean), w.Weight(name + ".running_var", b.RunningVar)],
                    output, AttributeProto.Float("epsilon", b.Epsilon), AttributeProto.Float("momentum", 1f - b.Momentum));
            case Flatten:
                return w.Node("Flatten", name, [inputs[0]], output, AttributeProto.Int("axis", 1));
            case Reshape r:
                return w.Node("Reshape", name, [inputs[0], w.Int64s(name + ".shape", [0, .. r.OutputShape.Select(d => (long)d)])], output);
            case Dropout d:
                if (!options.KeepDropout) return inputs[0];
                return w.Node("Dropout", name, [inputs[0], w.Scalar(name + ".ratio", d.Rate)], output);
            case Add or Multiply:
                return Merge(w, layer, inputs, output);
            case Concatenate c:
                return w.Node("Concat", name, inputs, output, AttributeProto.Int("axis", c.Axis));
            case ZeroPadding2D z:
                return w.Node("Pad", name, [inputs[0], w.Int64s(name + ".pads", 0, 0, z.Top, z.Left, 0, 0, z.Bottom, z.Right)], output,
                    AttributeProto.String("mode", "constant"));
            case Embedding e:
            {
                string indices = w.Node("Cast", name + "/cast", [inputs[0]], w.Unique(name + "/indices"),
                    AttributeProto.Int("to", (long)TensorDataType.Int64));
                return w.Node("Gather", name, [w.Weight(name + ".weight", e.Weight.Value), indices], output, AttributeProto.Int("axis", 0));
            }
            default:
                throw new NotSupportedException(
                    $"Layer '{name}' ({layer.TypeName}) has no ONNX form; ONNX export supports Dense, ActivationLayer, PReLU, Conv1D, Conv2D, " +
                    "DepthwiseConv2D, SeparableConv2D, Conv2DTranspose, MaxPool1D/2D, AvgPool1D/2D, GlobalAvgPool2D, GlobalMaxPool2D, " +
                    "BatchNormalization, Flatten, Reshape, Dropout, Add, Multiply, Concatenate, ZeroPadding2D and Embedding.");
        }
    }

    /// <summary>Emits an element-wise activation from <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <param name="w">The graph being written.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="alpha">LeakyReLU slope / ELU scale; 0 for the default.</param>
    /// <param name="input">The value to activate.</param>
    /// <param name="output">The value to write.</param>
    /// <param name="name">The layer's name, the stem of helper names.</param>
    /// <param name="nodeName">The node's name; default <c>{name}/{activation}</c> (a fused activation).</param>
    public static string Activate(OnnxGraphWriter w, Activation activation, float alpha, string input, string output, string name, string? nodeName = null)
    {
        string node = nodeName ?? name + "/" + activation.ToString().ToLowerInvariant();
        switch (activation)
        {
            case Activation.Linear:
                return input;
            case Activation.ReLU:
                return w.Node("Relu", node, [input], output);
            case Activation.ReLU6:
                return w.Node("Clip", node, [input, w.Scalar(name + "/clip_min", 0f), w.Scalar(name + "/clip_max", 6f)], output);
            case Activation.LeakyReLU:
                return w.Node("LeakyRelu", node, [input], output, AttributeProto.Float("alpha", Activations.EffectiveAlpha(activation, alpha)));
            case Activation.ELU:
                return w.Node("Elu", node, [input], output, AttributeProto.Float("alpha", Activations.EffectiveAlpha(activation, alpha)));
            case Activation.Sigmoid:
                return w.Node("Sigmoid", node, [input], output);
            case Activation.Tanh:
                return w.Node("Tanh", node, [input], output);
            case Activation.Softplus:
                return w.Node("Softplus", node, [input], output);
            case Activation.Swish:
            {
                string s = w.Node("Sigmoid", node + "/sigmoid", [input], w.Unique(name + "/sigmoid"));
                return w.Node("Mul", node, [input, s], output);
            }
            case Activation.HardSigmoid:
                return w.Node("HardSigmoid", node, [input], output, AttributeProto.Float("alpha", 1f / 6f), AttributeProto.Float("beta", 0.5f));
            case Activation.HardSwish:
                if (w.Opset >= 14) return w.Node("HardSwish", node, [input], output);
                string h = w.Node("HardSigmoid", node + "/hard_sigmoid", [input], w.Unique(name + "/hard_sigmoid"),
                    AttributeProto.Float("alpha", 1f / 6f), AttributeProto.Float("beta", 0.5f));
                return w.Node("Mul", node, [input, h], output);
            case Activation.Softmax:
                return w.Node("Softmax", node, [input], output, AttributeProto.Int("axis", -1));
            default:
                throw new NotSupportedException($"Layer '{name}': activation {activation} has no ONNX form.");
        }
    }

    private static string Conv(OnnxGraphWriter w, ConvolutionLayerBase c, string input, string output)
    {
        string name = c.Name!;
        bool oneD = c is Conv1D;
        int[] inShape = c.InputShape;
        int groups = c switch { Conv2D c2 => c2.Groups, Conv1D c1 => c1.Groups, _ => inShape[0] };
        var (t, l, b, r) = c.ExplicitPadding ?? (c.Padding == Padding.Same
            ? SamePads(oneD ? 1 : inShape[1], inShape[^1], c.KernelHeight, c.KernelWidth, c.StrideHeight, c.StrideWidth, c.DilationHeight, c.DilationWidth)
            : (0, 0, 0, 0));
        string convOut = c.Activation == Activation.Linear ? output : w.Unique(name + "/conv");
        var args = new List<string> { input, w.Weight(name + ".weight", c.Weight.Value) };
        if (c.Bias is not null) args.Add(w.Weight(name + ".bias", c.Bias.Value));
        var attributes = oneD
            ? new[]
            {
                AttributeProto.IntList("kernel_shape", [c.KernelWidth]), AttributeProto.IntList("strides", [c.StrideWidth]),
                AttributeProto.IntList("pads", [l, r]), AttributeProto.IntList("dilations", [c.DilationWidth]),
                AttributeProto.Int("group", groups),
            }
            : new[]
            {
                AttributeProto.IntList("kernel_shape", [c.KernelHeight, c.KernelWidth]),
                AttributeProto.IntList("strides", [c.StrideHeight, c.StrideWidth]),
                AttributeProto.IntList("pads", [t, l, b, r]),
                AttributeProto.IntList("dilations", [c.DilationHeight, c.DilationWidth]),
                AttributeProto.Int("group", groups),
            };
        w.Node("Conv", name, args, convOut, attributes);
        return Activate(w, c.Activation, 0, convOut, output, name);
    }

    private static string ConvTranspose(OnnxGraphWriter w, Conv2DTranspose c, string input, string output)
    {
        string name = c.Name!;
        int h = c.InputShape[1], wd = c.InputShape[2];
        int t, l, b, r;
        if (c.ExplicitPadding is { } p) (t, l, b, r) = p;
        else if (c.Padding == Padding.Same)
        {
            (t, b) = ConvGeometry.SamePadding(h * c.StrideHeight, c.KernelHeight, c.StrideHeight, c.DilationHeight);
            (l, r) = ConvGeometry.SamePadding(wd * c.StrideWidth, c.KernelWidth, c.StrideWidth, c.DilationWidth);
        }
        else (t, l, b, r) = (0, 0, 0, 0);
        // ONNX: out = stride·(in − 1) + output_padding + dilation·(k − 1) + 1 − pads; solve for output_padding.
        int opH = c.OutputShape[1] - (c.StrideHeight * (h - 1) + c.DilationHeight * (c.KernelHeight - 1) + 1 - t - b);
        int opW = c.OutputShape[2] - (c.StrideWidth * (wd - 1) + c.DilationWidth * (c.KernelWidth - 1) + 1 - l - r);
        string convOut = c.Activation == Activation.Linear ? output : w.Unique(name + "/conv_transpose");
        var args = new List<string> { input, w.Weight(name + ".weight", c.Weight.Value) };
        if (c.Bias is not null) args.Add(w.Weight(name + ".bias", c.Bias.Value));
        w.Node("ConvTranspose", name, args, convOut,
            AttributeProto.IntList("kernel_shape", [c.KernelHeight, c.KernelWidth]),
            AttributeProto.IntList("strides", [c.StrideHeight, c.StrideWidth]),
            AttributeProto.IntList("pads", [t, l, b, r]),
            AttributeProto.IntList("output_padding", [opH, opW]),
            AttributeProto.IntList("dilations", [c.DilationHeight, c.DilationWidth]),
            AttributeProto.Int("group", c.Groups));
        return Activate(w, c.Activation, 0, convOut, output, name);
    }

    private static string Separable(OnnxGraphWriter w, SeparableConv2D s, string input, string output)
    {
        string name = s.Name!;
        int c = s.InputShape[0];
        var (t, l, b, r) = s.Padding == Padding.Same
            ? SamePads(s.InputShape[1], s.InputShape[2], s.KernelSize, s.KernelSize, s.Stride, s.Stride, s.Dilation, s.Dilation)
            : (0, 0, 0, 0);
        string depthwise = w.Node("Conv", name + "/depthwise", [input, w.Weight(name + ".depthwise.weight", s.DepthwiseWeight.Value)],
            w.Unique(name + "/depthwise"),
            AttributeProto.IntList("kernel_shape", [s.KernelSize, s.KernelSize]), AttributeProto.IntList("strides", [s.Stride, s.Stride]),
            AttributeProto.IntList("pads", [t, l, b, r]), AttributeProto.IntList("dilations", [s.Dilation, s.Dilation]),
            AttributeProto.Int("group", c));
        string convOut = s.Activation == Activation.Linear ? output : w.Unique(name + "/pointwise");
        var args = new List<string> { depthwise, w.Weight(name + ".pointwise.weight", s.PointwiseWeight.Value) };
        if (s.Bias is not null) args.Add(w.Weight(name + ".pointwise.bias", s.Bias.Value));
        w.Node("Conv", name + "/pointwise", args, convOut, AttributeProto.IntList("kernel_shape", [1, 1]));
        return Activate(w, s.Activation, 0, convOut, output, name);
    }

    private static string Pool(OnnxGraphWriter w, PoolingLayerBase p, string input, string output)
    {
        string name = p.Name!;
        bool oneD = p is MaxPool1D or AvgPool1D;
        int[] inShape = p.InputShape;
        var (t, l, b, r) = p.ExplicitPadding ?? (p.Padding == Padding.Same
            ? SamePads(oneD ? 1 : inShape[1], inShape[^1], p.PoolHeight, p.PoolWidth, p.StrideHeight, p.StrideWidth, 1, 1)
            : (0, 0, 0, 0));
        var attributes = new List<AttributeProto>
        {
            AttributeProto.IntList("kernel_shape", oneD ? [p.PoolWidth] : [p.PoolHeight, p.PoolWidth]),
            AttributeProto.IntList("strides", oneD ? [p.StrideWidth] : [p.StrideHeight, p.StrideWidth]),
            AttributeProto.IntList("pads", oneD ? [l, r] : [t, l, b, r]),
        };
        bool isMax = p is MaxPool1D or MaxPool2D;
        if (!isMax)
        {
            bool include = p is AvgPool2D a2 ? a2.CountIncludePad : ((AvgPool1D)p).CountIncludePad;
            attributes.Add(AttributeProto.Int("count_include_pad", include ? 1 : 0));
        }
        return w.Node(isMax ? "MaxPool" : "AveragePool", name, [input], output, [.. attributes]);
    }

    private static string Merge(OnnxGraphWriter w, Layer layer, string[] inputs, string output)
    {
        string name = layer.Name!;
        // Per-sample shapes broadcast with the batch axis aligned; ONNX aligns the trailing axes of the batched tensors,
        // so a lower-rank input is first reshaped to [N, 1, …, 1, its shape].
        int rank = layer.OutputShape.Length;
        var aligned = new string[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            int[] shape = layer.InputShapes[i];
            if (shape.Length == rank)
            {
                aligned[i] = inputs[i];
                continue;
            }
            var target = new List<long> { 0 };
            target.AddRange(Enumerable.Repeat(1L, rank - shape.Length));
            target.AddRange(shape.Select(d => (long)d));
            aligned[i] = w.Node("Reshape", $"{name}/align{i}", [inputs[i], w.Int64s($"{name}/align{i}.shape", [.. target])], w.Unique($"{name}/align{i}"));
        }
        if (layer is Add && aligned.Length > 2) return w.Node("Sum", name, aligned, output);
        string op = layer is Add ? "Add" : "Mul";
        string acc = aligned[0];
        for (int i = 1; i < aligned.Length; i++)
        {
            acc = w.Node(op, i == aligned.Length - 1 ? name : $"{name}/{i}", [acc, aligned[i]], i == aligned.Length - 1 ? output : w.Unique($"{name}/{i}"));
        }
        return acc;
    }

    private static (int Top, int Left, int Bottom, int Right) SamePads(int h, int wd, int kh, int kw, int sh, int sw, int dh, int dw)
    {
        var (t, b) = ConvGeometry.SamePadding(h, kh, sh, dh);
        var (l, r) = ConvGeometry.SamePadding(wd, kw, sw, dw);
        return (t, l, b, r);
    }
}
