namespace Pacs.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// A DC Huffman table (ITU-T T.81 C, F.2.2.3) prepared for decoding: a direct look-up for codes of up to
/// <see cref="LookupBits"/> bits, and the canonical MAXCODE/VALPTR arrays for longer codes.
/// </summary>
internal sealed class LosslessHuffmanTable
{
    public const int LookupBits = 9;

    // Entry = (code length << 8) | symbol; 0 means "longer than LookupBits".
    private readonly ushort[] _lookup = new ushort[1 << LookupBits];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    public LosslessHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            _valueOffset[length] = k - code;
            if (n == 0)
            {
                _maxCode[length] = -1;
            }
            else
            {
                for (var i = 0; i < n; i++, k++, code++)
                {
                    if (length <= LookupBits)
                    {
                        var shift = LookupBits - length;
                        var first = code << shift;
                        var last = first + (1 << shift);
                        if (last > _lookup.Length)
                        {
                            throw new DicomCodecException("JPEG Huffman table has more codes than its lengths allow.");
                        }

                        for (var j = first; j < last; j++)
                        {
                            _lookup[j] = (ushort)((length << 8) | _values[k]);
                        }
                    }
                }

                _maxCode[length] = code - 1;
            }

            if (code > (1 << length))
            {
                throw new DicomCodecException("JPEG Huffman table has more codes than its lengths allow.");
            }

            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Decodes one symbol from the next bits of <paramref name="reader"/>.</summary>
    public int Decode(ref JpegBitReader reader)
    {
        var peek = reader.Peek(LookupBits);
        var entry = _lookup[peek];
        if (entry != 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }

        var code = (int)reader.Peek(LookupBits);
        reader.Skip(LookupBits);
        for (var length = LookupBits + 1; length <= 16; length++)
        {
            code = (code << 1) | (int)reader.Read(1);
            if (code <= _maxCode[length])
            {
                var index = _valueOffset[length] + code;
                if ((uint)index >= (uint)_values.Length)
                {
                    break;
                }

                return _values[index];
            }
        }

        throw new DicomCodecException("JPEG lossless scan holds an invalid Huffman code.");
    }
}
