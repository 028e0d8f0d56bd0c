using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MLNet.Nets.Vision.Imaging;

/// <summary>
/// Minimal binding to the TurboJPEG 2.x C API of libjpeg-turbo (<c>libturbojpeg.so.0</c>, Debian package
/// <c>libturbojpeg0</c>). The library is loaded on first use; decompressor handles are pooled because a handle
/// must not be used by two threads at once.
/// </summary>
internal static unsafe class TurboJpegNative
{
    // Values from turbojpeg.h (libjpeg-turbo 2.x).
    public const int TJPF_RGB = 0;
    public const int TJPF_GRAY = 6;
    public const int TJPF_CMYK = 11;
    public const int TJCS_RGB = 0, TJCS_YCbCr = 1, TJCS_GRAY = 2, TJCS_CMYK = 3, TJCS_YCCK = 4;
    public const int TJFLAG_ACCURATEDCT = 4096;
    public const int TJERR_WARNING = 0;

    private static readonly string[] LibraryNames = ["libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "turbojpeg"];
    private static readonly Lazy<Api> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentBag<nint> Handles = new();

    internal sealed class Api
    {
        public delegate* unmanaged<nint> InitDecompress;
        public delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3;
        public delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2;
        public delegate* unmanaged<nint, int> Destroy;
        public delegate* unmanaged<nint, byte*> GetErrorStr2;
        public delegate* unmanaged<nint, int> GetErrorCode;
    }

    public static Api Functions => Loaded.Value;

    private static Api Load()
    {
        nint lib = 0;
        foreach (var candidate in LibraryNames)
        {
            if (NativeLibrary.TryLoad(candidate, out lib)) break;
        }
        if (lib == 0)
        {
            throw new DllNotFoundException(
                "JPEG decoding needs libjpeg-turbo's TurboJPEG library (libturbojpeg.so.0), which was not found. " +
                "Install it with: sudo apt-get install libturbojpeg0");
        }
        return new Api
        {
            InitDecompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "tjInitDecompress"),
            DecompressHeader3 = (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)NativeLibrary.GetExport(lib, "tjDecompressHeader3"),
            Decompress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)NativeLibrary.GetExport(lib, "tjDecompress2"),
            Destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "tjDestroy"),
            GetErrorStr2 = (delegate* unmanaged<nint, byte*>)NativeLibrary.GetExport(lib, "tjGetErrorStr2"),
            GetErrorCode = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "tjGetErrorCode"),
        };
    }

    public static nint Rent()
    {
        if (Handles.TryTake(out nint h)) return h;
        h = Functions.InitDecompress();
        if (h == 0) throw new InvalidOperationException("tjInitDecompress failed (out of memory?).");
        return h;
    }

    public static void Return(nint handle)
    {
        // Bound the pool so a burst of threads does not keep handles alive forever.
        if (Handles.Count < 2 * Environment.ProcessorCount + 4) Handles.Add(handle);
        else Functions.Destroy(handle);
    }

    public static string ErrorText(nint handle)
    {
        byte* s = Functions.GetErrorStr2(handle);
        return s == null ? "unknown libjpeg-turbo error" : Marshal.PtrToStringUTF8((nint)s) ?? "unknown libjpeg-turbo error";
    }
}
