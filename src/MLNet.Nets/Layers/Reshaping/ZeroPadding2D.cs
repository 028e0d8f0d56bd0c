using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// Adds rows and columns of zeros around each image (Keras's <c>ZeroPadding2D</c>, PyTorch's <c>nn.ZeroPad2d</c>),
/// e.g. before a stride-2 valid convolution in MobileNet V1.
/// </summary>
/// <remarks>Input [N, C, H, W]; output [N, C, top + H + bottom, left + W + right]. No parameters.</remarks>
public sealed class ZeroPadding2D : SingleInputLayer
{
    private Tensor? _output;
    private int[] _batchOutputShape = [];
    private int[] _batchInputShape = [];
    private int _batch = -1;

    /// <summary>Pads every side with the same number of pixels.</summary>
    /// <param name="padding">Pixels on each side; default 1.</param>
    /// <param name="name">Layer name, or null.</param>
    public ZeroPadding2D(int padding = 1, string? name = null) : this(padding, padding, padding, padding, name)
    {
    }

    /// <summary>Pads each side by its own amount (Keras's ((top, bottom), (left, right))).</summary>
    /// <param name="top">Rows above.</param>
    /// <param name="bottom">Rows below.</param>
    /// <param name="left">Columns left.</param>
    /// <param name="right">Columns right.</param>
    /// <param name="name">Layer name, or null.</param>
    public ZeroPadding2D(int top, int bottom, int left, int right, string? name = null) : base(name)
    {
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"Layer '{name}' (ZeroPadding2D): padding ({top}, {bottom}, {left}, {right}) must be ≥ 0.");
        }
        Top = top;
        Bottom = bottom;
        Left = left;
        Right = right;
    }

    /// <summary>Rows added above.</summary>
    public int Top { get; }
    /// <summary>Rows added below.</summary>
    public int Bottom { get; }
    /// <summary>Columns added left.</summary>
    public int Left { get; }
    /// <summary>Columns added right.</summary>
    public int Right { get; }

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        if (inputShape.Length != 3)
        {
            throw new ArgumentException($"Layer '{Name}' (ZeroPadding2D) takes input [N, C, H, W] but got [N, {string.Join(", ", inputShape)}].");
        }
        return [inputShape[0], inputShape[1] + Top + Bottom, inputShape[2] + Left + Right];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        int n = input.Dim(0);
        if (n != _batch)
        {
            _batchOutputShape = [n, .. OutputShape];
            _batchInputShape = [n, .. InputShape];
            _batch = n;
        }
        var y = Tensor.Reuse(ref _output, _batchOutputShape);
        Copy(input.Span, y.Span, toPadded: true);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_batch < 0) throw new InvalidOperationException($"Layer '{Name}' (ZeroPadding2D): Backward called before Forward.");
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' (ZeroPadding2D): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, _batchInputShape);
        Copy(dx.Span, outputGradient.Span, toPadded: false);
        return dx;
    }

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig().Set("name", Name).Set("padding", [Top, Bottom, Left, Right]);

    /// <summary>Rebuilds the layer from <see cref="GetConfig"/>'s output.</summary>
    public static ZeroPadding2D FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int[] p = config.GetInts("padding");
        return p.Length switch
        {
            1 => new ZeroPadding2D(p[0], config.GetStringOrNull("name")),
            4 => new ZeroPadding2D(p[0], p[1], p[2], p[3], config.GetStringOrNull("name")),
            _ => throw new InvalidDataException($"Layer config 'padding' of ZeroPadding2D must have 1 or 4 values but has {p.Length}."),
        };
    }

    // Forward copies each input row into the padded output (clearing the border); backward crops the padded gradient.
    private void Copy(Span<float> plain, Span<float> padded, bool toPadded)
    {
        int planes = _batch * InputShape[0], h = InputShape[1], w = InputShape[2];
        int ph = OutputShape[1], pw = OutputShape[2];
        if (toPadded) padded.Clear();
        for (int p = 0; p < planes; p++)
        {
            for (int r = 0; r < h; r++)
            {
                var inner = plain.Slice((p * h + r) * w, w);
                var outer = padded.Slice((p * ph + r + Top) * pw + Left, w);
                if (toPadded) inner.CopyTo(outer);
                else outer.CopyTo(inner);
            }
        }
    }
}
