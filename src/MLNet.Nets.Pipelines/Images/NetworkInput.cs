using MLNet.Nets.Data;
using MLNet.Nets.Tensors;
using MLNet.Nets.Vision.Imaging;
using MLNet.Nets.Vision.Zoo;

namespace MLNet.Nets.Images;

/// <summary>
/// Turns a column into network input [rows, C, H, W] the way a zoo network's weights expect: image paths are decoded,
/// images resized so the shorter side is <see cref="ZooPreprocessing.ResizeSize"/> and centre-cropped to H×W
/// (torchvision's eval transform), pixels scaled to [0, 1] and normalized with the weights' mean/std; a Single vector
/// column of C·H·W values is taken as already prepared, and one of dimensions [C, h, w] with another height or width
/// is prepared pixels of another size, resized bilinearly (<see cref="PixelResampler"/>) without rescaling its values.
/// </summary>
internal sealed class NetworkInput
{
    public NetworkInput(ZooPreprocessing preprocessing) => Preprocessing = preprocessing;

    public ZooPreprocessing Preprocessing { get; }

    public int Size => Preprocessing.Channels * Preprocessing.Height * Preprocessing.Width;

    /// <summary>The preprocessing of a zoo architecture (one-channel inputs use [0, 1] pixels: ImageNet statistics need three).</summary>
    public static ZooPreprocessing For(Architecture architecture, ZooOptions options)
    {
        var p = ModelZoo.Info(architecture).Preprocessing;
        int channels = options.InputChannels ?? p.Channels, size = options.InputSize ?? p.Height;
        int resize = (int)Math.Round(size * (double)p.ResizeSize / p.Height);
        return channels == 3 || p.Style == NormalizationStyle.ZeroToOne || p.Style == NormalizationStyle.KerasMinusOneToOne
            ? ZooPreprocessing.For(p.Style, channels, size, resize)
            : ZooPreprocessing.For(NormalizationStyle.ZeroToOne, channels, size, resize);
    }

    /// <summary>Checks that <paramref name="column"/> can feed the network.</summary>
    public void Check(DataViewSchema.Column column)
    {
        bool ok = column.Type is TextDataViewType or ImageDataViewType || (column.Type.Kind == DataKind.Single && column.Type.Size == Size) || OtherSize(column.Type) is not null;
        if (!ok)
        {
            throw new ArgumentException($"The column '{column.Name}' holds {column.Type}; the network takes image paths (text), images, or {Size} Single pixel values " +
                $"[{Preprocessing.Channels}, {Preprocessing.Height}, {Preprocessing.Width}] (or [{Preprocessing.Channels}, h, w] of another size, resized).");
        }
    }

    /// <summary>The height and width of a pixel-vector type [C, h, w] of this input's channels but another size, else null.</summary>
    private (int Height, int Width)? OtherSize(DataViewType type) =>
        type is VectorDataViewType { Kind: DataKind.Single, Dimensions: [int c, int h, int w] } && c == Preprocessing.Channels && h > 0 && w > 0
            && (h != Preprocessing.Height || w != Preprocessing.Width) ? (h, w) : null;

    /// <summary>The input tensor of a batch; <paramref name="valid"/> is false for rows whose image is missing or undecodable.</summary>
    public Tensor Read(DataBatch batch, DataViewSchema.Column column, bool skipBadImages, out bool[] valid)
    {
        int rows = batch.RowCount, size = Size;
        var x = new Tensor(rows, Preprocessing.Channels, Preprocessing.Height, Preprocessing.Width);
        var ok = new bool[rows];
        var data = x.Data;
        switch (batch.GetArray(column.Index))
        {
            case float[] pixels when OtherSize(column.Type) is (int h, int w):
                var resampler = new PixelResampler(Preprocessing.Channels, h, w, Preprocessing.Height, Preprocessing.Width);
                int sourceSize = Preprocessing.Channels * h * w;
                ParallelRows.For(rows, r =>
                {
                    ok[r] = !float.IsNaN(pixels[r * sourceSize]);
                    if (ok[r]) resampler.Resize(pixels.AsSpan(r * sourceSize, sourceSize), data.AsSpan(r * size, size));
                });
                break;
            case float[] pixels:
                Array.Copy(pixels, data, pixels.Length);
                for (int r = 0; r < rows; r++) ok[r] = !float.IsNaN(pixels[r * size]);
                break;
            case string[] paths:
                ParallelRows.For(rows, r =>
                {
                    if (ImageDecoder.TryDecode(paths[r], out var image, out var error)) ok[r] = Fill(image, data.AsSpan(r * size, size));
                    else if (!skipBadImages) throw new InvalidDataException(error.Message, error);
                });
                break;
            case Image?[] images:
                ParallelRows.For(rows, r => ok[r] = images[r] is { } image && Fill(image, data.AsSpan(r * size, size)));
                break;
            default:
                throw new InvalidOperationException($"Column '{column.Name}' cannot feed a network.");
        }
        valid = ok;
        return x;
    }

    private bool Fill(Image image, Span<float> target)
    {
        var p = Preprocessing;
        var mode = p.Channels == 1 ? ColorMode.Gray : ColorMode.Rgb;
        var source = image.Mode == mode ? image : image.ConvertTo(mode);
        double scale = p.ResizeSize / (double)Math.Min(source.Width, source.Height);
        double w = Math.Min(source.Width, p.Width / scale), h = Math.Min(source.Height, p.Height / scale);
        var cropped = ImageResizer.ResizeRegion(source, (source.Width - w) / 2, (source.Height - h) / 2, w, h, p.Width, p.Height);
        PixelExtractor.Extract(cropped, target, new PixelExtractionOptions { Scale = 1f / 255, Mean = p.Mean.ToArray(), Std = p.Std.ToArray() });
        return true;
    }

    public void Save(ModelSaveContext context)
    {
        var p = Preprocessing;
        context.Config["channels"] = p.Channels;
        context.Config["height"] = p.Height;
        context.Config["width"] = p.Width;
        context.Config["resize"] = p.ResizeSize;
        context.Config["style"] = p.Style.ToString();
        context.WriteArray<float>("mean", p.Mean.ToArray());
        context.WriteArray<float>("std", p.Std.ToArray());
    }

    public static NetworkInput Load(ModelLoadContext context)
    {
        int channels = context.Get<int>("channels");
        var p = new ZooPreprocessing(channels, context.Get<int>("height"), context.Get<int>("width"), context.Get<int>("resize"),
            Enum.Parse<NormalizationStyle>(context.Get<string>("style")), context.ReadArray<float>("mean", channels), context.ReadArray<float>("std", channels));
        return new NetworkInput(p);
    }
}
