namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Reads entropy-coded bits (ITU-T T.81 F.2.2.5): removes stuffed zero bytes after 0xFF and stops at a marker,
/// feeding zero bits past it so that a truncated scan ends in a decoding error rather than a read past the buffer.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer;
    private int _count;
    private int _padding;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>Where the next unread byte is (after <see cref="Reset"/>, the byte after the last consumed one).</summary>
    public readonly int Position => _position;

    /// <summary>Zero bits supplied after the data ran out; too many means the scan was truncated.</summary>
    public readonly int Padding => _padding;

    public uint Peek(int bits)
    {
        if (_count < bits)
        {
            Fill();
        }

        return (uint)(_buffer >> (_count - bits)) & ((1u << bits) - 1);
    }

    public void Skip(int bits) => _count -= bits;

    public uint Read(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        var v = Peek(bits);
        _count -= bits;
        return v;
    }

    /// <summary>Discards buffered bits and expects restart marker RSTn at the current byte position.</summary>
    public void Restart()
    {
        _count = 0;
        _buffer = 0;
        _padding = 0;
        while (_position + 1 < _data.Length && !(_data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7))
        {
            _position++;
        }

        if (_position + 1 >= _data.Length)
        {
            throw new DicomCodecException("JPEG lossless scan ends where a restart marker was expected.");
        }

        _position += 2;
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            byte b;
            if (_position < _data.Length && (b = _data[_position]) != 0xFF)
            {
                _position++;
            }
            else if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
            {
                b = 0xFF;
                _position += 2;
            }
            else
            {
                // A marker or the end of the data: supply zeros without consuming it.
                b = 0;
                _padding++;
                if (_padding > 4096)
                {
                    throw new DicomCodecException("JPEG lossless scan is truncated.");
                }
            }

            _buffer = (_buffer << 8) | b;
            _count += 8;
        }
    }
}
