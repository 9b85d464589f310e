namespace Pacs.Dicom.Imaging.Pixels;

/// <summary>
/// One frame in the native layout: little-endian samples of <see cref="PixelFormat.BytesPerSample"/> bytes, laid out as
/// <see cref="Format"/> says (decoders always give colour-by-pixel; 1-bit data arrives one byte a sample).
/// </summary>
public sealed record DecodedFrame(ReadOnlyMemory<byte> Pixels, PixelFormat Format);
