using System.Runtime.InteropServices;

namespace Pacs.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// P/Invoke to OpenJPEG 2.5 (Debian package libopenjp2-7), bound by SONAME. The structures are reached by offset:
/// the values below are offsetof() in openjpeg.h 2.5.0 on LP64 (x86-64, arm64); <see cref="IsSupportedVersion"/> guards them.
/// </summary>
internal static unsafe partial class OpenJpegNative
{
    private const string Library = "libopenjp2.so.7";

    public const int CodecJ2K = 0;
    public const int ColorSpaceSrgb = 1;
    public const int ColorSpaceGray = 2;

    // opj_image_t
    public const int ImageX0 = 0;
    public const int ImageY0 = 4;
    public const int ImageX1 = 8;
    public const int ImageY1 = 12;
    public const int ImageNumComps = 16;
    public const int ImageComps = 24;

    // opj_image_comp_t
    public const int CompSize = 64;
    public const int CompDx = 0;
    public const int CompDy = 4;
    public const int CompW = 8;
    public const int CompH = 12;
    public const int CompPrec = 24;
    public const int CompSgnd = 32;
    public const int CompData = 48;

    // opj_cparameters_t / opj_dparameters_t
    public const int EncoderParametersSize = 18720;
    public const int EncoderDistoAlloc = 20;
    public const int EncoderNumLayers = 4796;
    public const int EncoderRates = 4800;
    public const int EncoderIrreversible = 5616;
    public const int EncoderMct = 18698;
    public const int DecoderParametersSize = 8252;

    // opj_image_cmptparm_t: dx, dy, w, h, x0, y0, prec, bpp, sgnd (nine 32-bit fields)
    public const int ComponentParameterSize = 36;

    [LibraryImport(Library)]
    public static partial IntPtr opj_version();

    [LibraryImport(Library)]
    public static partial IntPtr opj_stream_create(nuint bufferSize, int isInput);

    [LibraryImport(Library)]
    public static partial void opj_stream_destroy(IntPtr stream);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_read_function(IntPtr stream, delegate* unmanaged<IntPtr, nuint, IntPtr, nuint> function);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_write_function(IntPtr stream, delegate* unmanaged<IntPtr, nuint, IntPtr, nuint> function);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_skip_function(IntPtr stream, delegate* unmanaged<long, IntPtr, long> function);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_seek_function(IntPtr stream, delegate* unmanaged<long, IntPtr, int> function);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_user_data(IntPtr stream, IntPtr data, IntPtr freeFunction);

    [LibraryImport(Library)]
    public static partial void opj_stream_set_user_data_length(IntPtr stream, ulong length);

    [LibraryImport(Library)]
    public static partial IntPtr opj_create_decompress(int format);

    [LibraryImport(Library)]
    public static partial IntPtr opj_create_compress(int format);

    [LibraryImport(Library)]
    public static partial void opj_destroy_codec(IntPtr codec);

    [LibraryImport(Library)]
    public static partial int opj_set_error_handler(IntPtr codec, delegate* unmanaged<IntPtr, IntPtr, void> handler, IntPtr userData);

    [LibraryImport(Library)]
    public static partial void opj_set_default_decoder_parameters(IntPtr parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_decoder(IntPtr codec, IntPtr parameters);

    [LibraryImport(Library)]
    public static partial int opj_read_header(IntPtr stream, IntPtr codec, out IntPtr image);

    [LibraryImport(Library)]
    public static partial int opj_decode(IntPtr codec, IntPtr stream, IntPtr image);

    [LibraryImport(Library)]
    public static partial int opj_end_decompress(IntPtr codec, IntPtr stream);

    [LibraryImport(Library)]
    public static partial void opj_image_destroy(IntPtr image);

    [LibraryImport(Library)]
    public static partial IntPtr opj_image_create(uint componentCount, IntPtr componentParameters, int colorSpace);

    [LibraryImport(Library)]
    public static partial void opj_set_default_encoder_parameters(IntPtr parameters);

    [LibraryImport(Library)]
    public static partial int opj_setup_encoder(IntPtr codec, IntPtr parameters, IntPtr image);

    [LibraryImport(Library)]
    public static partial int opj_start_compress(IntPtr codec, IntPtr image, IntPtr stream);

    [LibraryImport(Library)]
    public static partial int opj_encode(IntPtr codec, IntPtr stream);

    [LibraryImport(Library)]
    public static partial int opj_end_compress(IntPtr codec, IntPtr stream);

    public static string Version => Marshal.PtrToStringAnsi(opj_version()) ?? string.Empty;

    /// <summary>The hard-coded structure offsets hold for OpenJPEG 2.5.x only.</summary>
    public static bool IsSupportedVersion => Version.StartsWith("2.5.", StringComparison.Ordinal);
}
