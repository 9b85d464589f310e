namespace Pacs.Dicom.Text;

/// <summary>
/// Encodes a value with ISO 2022 code extensions (PS3.5 6.1.2.5): each character goes into the set
/// already designated if it can, else into the first declared set that has it, designated by its
/// escape sequence; G0 returns to its initial set before every delimiter and at the end of the value.
/// Characters no declared set has become '?'.
/// </summary>
internal static class Iso2022Encoder
{
    public static byte[] Encode(string value, Iso2022Profile profile, DicomTextKind kind)
    {
        var output = new PooledByteBuffer((value.Length * 2) + 8);
        try
        {
            Encode(value, profile, kind, ref output);
            return output.ToArray();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static void Encode(string value, Iso2022Profile profile, DicomTextKind kind, ref PooledByteBuffer output)
    {
        var g0 = profile.InitialG0;
        var g1 = profile.InitialG1;
        Span<byte> code = stackalloc byte[2];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x80)
            {
                var set = Choose(c, g0, g1, profile, code, out var length);
                if (set is not null)
                {
                    if (set.IsG0 && set != g0)
                    {
                        output.Add(set.EscapeSequence);
                        g0 = set;
                    }
                    else if (!set.IsG0 && set != g1)
                    {
                        output.Add(set.EscapeSequence);
                        g1 = set;
                    }

                    if (set.Kind == GraphicSetKind.MultiByteG1)
                    {
                        code[0] |= 0x80;
                        code[1] |= 0x80;
                    }

                    output.Add(code[..length]);
                    continue;
                }

                // None of the sets has it: one '?' for the whole character, surrogate pair included.
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }

                c = '?';
            }

            if (g0 != profile.InitialG0)
            {
                output.Add(profile.InitialG0.EscapeSequence);
                g0 = profile.InitialG0;
            }

            output.Add((byte)c);
            if (Iso2022Profile.ResetsState(c, kind))
            {
                g1 = profile.InitialG1;
            }
        }

        if (g0 != profile.InitialG0)
        {
            output.Add(profile.InitialG0.EscapeSequence);
        }
    }

    private static GraphicCharacterSet? Choose(char c, GraphicCharacterSet g0, GraphicCharacterSet? g1, Iso2022Profile profile, Span<byte> code, out int length)
    {
        // The sets already in place first, so that runs of one script need no escapes.
        if (g1 is not null && (length = g1.TryEncode(c, code)) > 0)
        {
            return g1;
        }

        if (g0.IsMultiByte && (length = g0.TryEncode(c, code)) > 0)
        {
            return g0;
        }

        if (profile.AllowsEscapes)
        {
            foreach (var set in profile.Extensions)
            {
                if (set != g0 && set != g1 && (length = set.TryEncode(c, code)) > 0)
                {
                    return set;
                }
            }
        }

        length = 0;
        return null;
    }
}
