using System.Runtime.InteropServices;

namespace Pacs.Dicom.Imaging.Codecs.JpegLs;

/// <summary>P/Invoke to CharLS 2.x (Debian package libcharls2), bound by SONAME.</summary>
internal static unsafe partial class CharLsNative
{
    private const string Library = "libcharls.so.2";

    public const int InterleaveNone = 0;
    public const int InterleaveSample = 2;
    public const int EncodingOptionEvenDestinationSize = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    [LibraryImport(Library)]
    public static partial IntPtr charls_get_error_message(int error);

    [LibraryImport(Library)]
    public static partial IntPtr charls_jpegls_decoder_create();

    [LibraryImport(Library)]
    public static partial void charls_jpegls_decoder_destroy(IntPtr decoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_set_source_buffer(IntPtr decoder, byte* source, nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_read_header(IntPtr decoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_frame_info(IntPtr decoder, out FrameInfo frameInfo);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_interleave_mode(IntPtr decoder, out int mode);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_get_destination_size(IntPtr decoder, uint stride, out nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_decoder_decode_to_buffer(IntPtr decoder, byte* destination, nuint size, uint stride);

    [LibraryImport(Library)]
    public static partial IntPtr charls_jpegls_encoder_create();

    [LibraryImport(Library)]
    public static partial void charls_jpegls_encoder_destroy(IntPtr encoder);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_frame_info(IntPtr encoder, in FrameInfo frameInfo);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_near_lossless(IntPtr encoder, int near);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_interleave_mode(IntPtr encoder, int mode);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_encoding_options(IntPtr encoder, int options);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_get_estimated_destination_size(IntPtr encoder, out nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_set_destination_buffer(IntPtr encoder, byte* destination, nuint size);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_encode_from_buffer(IntPtr encoder, byte* source, nuint size, uint stride);

    [LibraryImport(Library)]
    public static partial int charls_jpegls_encoder_get_bytes_written(IntPtr encoder, out nuint written);

    public static void Check(int error, string step)
    {
        if (error != 0)
        {
            throw new DicomCodecException($"JPEG-LS {step}: {Marshal.PtrToStringAnsi(charls_get_error_message(error))}");
        }
    }
}
