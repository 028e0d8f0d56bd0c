namespace MLNet.Nets.Data;

/// <summary>An image column; <see cref="Width"/>/<see cref="Height"/> are 0 when images vary in size.</summary>
public sealed class ImageDataViewType : DataViewType
{
    /// <summary>Images of the given size (0 = any).</summary>
    public ImageDataViewType(int height = 0, int width = 0) : base(DataKind.Image)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        Height = height;
        Width = width;
    }

    /// <summary>Images of any size.</summary>
    public static ImageDataViewType Any { get; } = new();
    /// <summary>Height in pixels, 0 when it varies.</summary>
    public int Height { get; }
    /// <summary>Width in pixels, 0 when it varies.</summary>
    public int Width { get; }
    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is ImageDataViewType i && i.Height == Height && i.Width == Width;
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(29, Height, Width);
    /// <inheritdoc/>
    public override string ToString() => Height == 0 ? "Image" : $"Image<{Height}, {Width}>";
}
