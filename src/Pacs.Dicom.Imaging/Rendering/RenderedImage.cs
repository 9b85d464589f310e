using System.Buffers;

namespace Pacs.Dicom.Imaging.Rendering;

/// <summary>
/// A rendered frame: 8-bit grey, 16-bit grey (little endian) or 8-bit RGB, row after row. The buffer is rented from
/// the shared pool, so dispose the image when done.
/// </summary>
public sealed class RenderedImage : IDisposable
{
    private byte[]? _buffer;

    internal RenderedImage(int width, int height, int bands, int bitsPerSample)
    {
        Width = width;
        Height = height;
        Bands = bands;
        BitsPerSample = bitsPerSample;
        Length = width * height * bands * (bitsPerSample / 8);
        _buffer = ArrayPool<byte>.Shared.Rent(Length);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 grey, 3 RGB.</summary>
    public int Bands { get; }

    /// <summary>8 or 16.</summary>
    public int BitsPerSample { get; }

    public int Length { get; }

    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(RenderedImage))).AsSpan(0, Length);

    internal byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(RenderedImage));

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
