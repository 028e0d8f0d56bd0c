using MLNet.Nets.Kernels;
using MLNet.Nets.Tensors;

namespace MLNet.Nets.Layers;

/// <summary>
/// What the windowed pooling layers share: window, stride (default: the window), padding (<see cref="Layers.Padding"/>
/// or explicit pixels), 1-D or 2-D input, buffers reused between calls.
/// </summary>
public abstract class PoolingLayerBase : SingleInputLayer
{
    private readonly int _rank;
    private Tensor? _output;
    private int[] _indices = [];
    private PoolGeometry _geometry;
    private int[] _batchOutputShape = [];
    private int[] _batchInputShape = [];
    private int _batch = -1;

    /// <summary>Checks and stores the hyper-parameters.</summary>
    /// <param name="rank">1 for [N, C, L] input, 2 for [N, C, H, W].</param>
    /// <param name="poolHeight">Window height (1 for 1-D).</param>
    /// <param name="poolWidth">Window width (length for 1-D).</param>
    /// <param name="strideHeight">Vertical stride.</param>
    /// <param name="strideWidth">Horizontal stride.</param>
    /// <param name="padding">Valid or Same; ignored when <paramref name="explicitPadding"/> is given.</param>
    /// <param name="explicitPadding">Padding (top, left, bottom, right) in pixels, PyTorch style, or null.</param>
    /// <param name="name">Layer name, or null.</param>
    protected PoolingLayerBase(int rank, int poolHeight, int poolWidth, int strideHeight, int strideWidth, Padding padding,
        (int Top, int Left, int Bottom, int Right)? explicitPadding, string? name) : base(name)
    {
        if (poolHeight < 1 || poolWidth < 1 || strideHeight < 1 || strideWidth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(poolWidth),
                $"Layer '{name}' ({GetType().Name}): pool size {poolHeight}×{poolWidth} and stride {strideHeight}×{strideWidth} must be ≥ 1.");
        }
        if (!Enum.IsDefined(padding)) throw new ArgumentOutOfRangeException(nameof(padding), $"Unknown padding {padding}.");
        if (explicitPadding is { } p && (p.Top < 0 || p.Left < 0 || p.Bottom < 0 || p.Right < 0 ||
            p.Top >= poolHeight || p.Bottom >= poolHeight || p.Left >= poolWidth || p.Right >= poolWidth))
        {
            throw new ArgumentOutOfRangeException(nameof(explicitPadding),
                $"Layer '{name}' ({GetType().Name}): padding {p} must be ≥ 0 and smaller than the pool size {poolHeight}×{poolWidth}.");
        }
        _rank = rank;
        PoolHeight = poolHeight;
        PoolWidth = poolWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        Padding = padding;
        ExplicitPadding = explicitPadding;
    }

    /// <summary>Window height (1 for 1-D pooling).</summary>
    public int PoolHeight { get; }
    /// <summary>Window width (the window length for 1-D pooling).</summary>
    public int PoolWidth { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }
    /// <summary>Valid or Same (used when <see cref="ExplicitPadding"/> is null).</summary>
    public Padding Padding { get; }
    /// <summary>Explicit padding (top, left, bottom, right), or null.</summary>
    public (int Top, int Left, int Bottom, int Right)? ExplicitPadding { get; }

    /// <summary>True for max pooling, false for average pooling.</summary>
    protected abstract bool IsMax { get; }

    /// <summary>For average pooling: whether padding counts in the divisor.</summary>
    protected virtual bool IncludePadInDivisor => true;

    /// <inheritdoc />
    protected override int[] OnBuild(int[] inputShape, Random random)
    {
        var g = Geometry(inputShape, 1);
        return _rank == 1 ? [g.Channels, g.OutWidth] : [g.Channels, g.OutHeight, g.OutWidth];
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        Refresh(input.Dim(0));
        var y = Tensor.Reuse(ref _output, _batchOutputShape);
        if (IsMax) MaxPooling.Forward(_geometry, input.Span, y.Span, _indices);
        else AveragePooling.Forward(_geometry, input.Span, y.Span, IncludePadInDivisor);
        return y;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_batch < 0) throw new InvalidOperationException($"Layer '{Name}' ({TypeName}): Backward called before Forward.");
        if (!outputGradient.HasShape(_batchOutputShape))
        {
            throw new ArgumentException(
                $"Layer '{Name}' ({TypeName}): output gradient must have shape {Tensor.FormatShape(_batchOutputShape)} but has {outputGradient.ShapeString}.");
        }
        if (!NeedsInputGradient) return null;
        var dx = InputGradientBuffer(0, _batchInputShape);
        if (IsMax) MaxPooling.Backward(_geometry, outputGradient.Span, _indices, dx.Span);
        else AveragePooling.Backward(_geometry, outputGradient.Span, dx.Span, IncludePadInDivisor);
        return dx;
    }

    /// <summary>The shared configuration keys.</summary>
    protected LayerConfig BaseConfig()
    {
        var config = new LayerConfig()
            .Set("name", Name)
            .Set("pool_size", _rank == 1 ? [PoolWidth] : [PoolHeight, PoolWidth])
            .Set("strides", _rank == 1 ? [StrideWidth] : [StrideHeight, StrideWidth])
            .SetEnum("padding", Padding);
        if (ExplicitPadding is { } p) config.Set("explicit_padding", [p.Top, p.Left, p.Bottom, p.Right]);
        return config;
    }

    /// <summary>Reads <c>explicit_padding</c>, or null when absent.</summary>
    protected static (int, int, int, int)? ReadExplicitPadding(LayerConfig config)
    {
        if (!config.Has("explicit_padding")) return null;
        int[] p = config.GetInts("explicit_padding");
        if (p.Length != 4) throw new InvalidDataException($"Layer config 'explicit_padding' must have 4 values but has {p.Length}.");
        return (p[0], p[1], p[2], p[3]);
    }

    /// <summary>Reads a one- or two-value integer array as (height, width); one value means (v, v) for 2-D and (1, v) for 1-D.</summary>
    protected static (int, int) ReadPair(LayerConfig config, string key, bool oneDimensional)
    {
        int[] v = config.GetInts(key);
        return v.Length switch
        {
            1 => oneDimensional ? (1, v[0]) : (v[0], v[0]),
            2 => (v[0], v[1]),
            _ => throw new InvalidDataException($"Layer config '{key}' must have 1 or 2 values but has {v.Length}."),
        };
    }

    private void Refresh(int n)
    {
        if (n == _batch) return;
        _geometry = Geometry(InputShape, n);
        _batchOutputShape = [n, .. OutputShape];
        _batchInputShape = [n, .. InputShape];
        if (IsMax) _indices = new int[_geometry.OutputLength];
        _batch = n;
    }

    private PoolGeometry Geometry(int[] inputShape, int batch)
    {
        if (inputShape.Length != _rank + 1)
        {
            string expected = _rank == 1 ? "[N, C, L]" : "[N, C, H, W]";
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) takes input {expected} but got [N, {string.Join(", ", inputShape)}].");
        }
        int c = inputShape[0], h = _rank == 1 ? 1 : inputShape[1], w = inputShape[^1];
        var (t, l, b, r) = ExplicitPadding ?? (0, 0, 0, 0);
        if (ExplicitPadding is null && Padding == Padding.Same)
        {
            (t, b) = ConvGeometry.SamePadding(h, PoolHeight, StrideHeight, 1);
            (l, r) = ConvGeometry.SamePadding(w, PoolWidth, StrideWidth, 1);
        }
        try
        {
            return new PoolGeometry(batch, c, h, w, PoolHeight, PoolWidth, StrideHeight, StrideWidth, t, l, b, r);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Layer '{Name}' ({TypeName}) cannot take input {Tensor.FormatShape(inputShape)}: {e.Message}", e);
        }
    }
}
