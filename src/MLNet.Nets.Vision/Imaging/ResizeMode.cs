namespace MLNet.Nets.Vision.Imaging;

/// <summary>How <see cref="ImageResizer.Resize"/> reconciles a source aspect ratio that differs from the target's.</summary>
public enum ResizeMode
{
    /// <summary>Stretch the whole image to the target size (aspect ratio not kept). ML.NET's <c>ResizingKind.Fill</c>.</summary>
    Fill,

    /// <summary>
    /// Keep the aspect ratio: take the largest centred region with the target's aspect ratio (a fractional region, so
    /// no half-pixel shift) and resize it to fill the target, as PIL's <c>ImageOps.fit</c>. ML.NET's <c>IsoCrop</c> with centre anchor.
    /// </summary>
    CropToAspect,

    /// <summary>
    /// Keep the aspect ratio: resize the whole image to fit inside the target (the fitted side rounded half to even,
    /// at least 1) and centre it on a canvas filled with the pad colour, as PIL's <c>ImageOps.pad</c>. ML.NET's <c>IsoPad</c>.
    /// </summary>
    PadToAspect,
}
