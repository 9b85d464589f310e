using System.Runtime.InteropServices;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>P/Invoke to the TurboJPEG 2.x API of Debian's libjpeg-turbo (package libturbojpeg0), bound by SONAME.</summary>
internal static unsafe partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    public const int PixelFormatRgb = 0;
    public const int PixelFormatGray = 6;
    public const int Subsampling444 = 0;
    public const int Subsampling422 = 1;
    public const int SubsamplingGray = 3;
    public const int ColorspaceRgb = 0;
    public const int ColorspaceGray = 2;
    public const int ColorspaceCmyk = 3;

    [LibraryImport(Library)]
    public static partial IntPtr tjInitDecompress();

    [LibraryImport(Library)]
    public static partial IntPtr tjInitCompress();

    [LibraryImport(Library)]
    public static partial int tjDestroy(IntPtr handle);

    [LibraryImport(Library)]
    public static partial IntPtr tjGetErrorStr2(IntPtr handle);

    [LibraryImport(Library)]
    public static partial int tjDecompressHeader3(IntPtr handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library)]
    public static partial int tjDecompress2(IntPtr handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library)]
    public static partial int tjCompress2(IntPtr handle, byte* source, int width, int pitch, int height, int pixelFormat, ref IntPtr jpeg, ref nuint size, int subsampling, int quality, int flags);

    [LibraryImport(Library)]
    public static partial void tjFree(IntPtr buffer);

    public static string LastError(IntPtr handle) => Marshal.PtrToStringAnsi(tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
