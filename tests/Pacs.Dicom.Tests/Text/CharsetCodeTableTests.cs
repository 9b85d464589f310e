using Pacs.Dicom.Text;

namespace Pacs.Dicom.Tests.Text;

/// <summary>
/// Every code of the two-byte sets, decoded by us and by Python's codecs (iso2022_jp, iso2022_jp_2,
/// euc_kr, gb2312), and encoded back by us.
/// </summary>
public sealed class CharsetCodeTableTests
{
    // Python's gb2312 follows the 1980 table; GBK and GB18030 (China's mandatory successor, and what
    // Chinese systems write with) read these two codes differently, and so do we: U+00B7 is the dot
    // between the parts of transliterated foreign names.
    private static readonly Dictionary<(string Term, string Code), char> DeliberateDifferences = new()
    {
        [("ISO 2022 IR 58", "2124")] = '\u00B7',
        [("ISO 2022 IR 58", "212A")] = '\u2014',
    };

    [Theory]
    [InlineData("ISO 2022 IR 87", "\u001b$B", false)]
    [InlineData("ISO 2022 IR 159", "\u001b$(D", false)]
    [InlineData("ISO 2022 IR 149", "\u001b$)C", true)]
    [InlineData("ISO 2022 IR 58", "\u001b$)A", true)]
    public void Every_code_decodes_as_Python_decodes_it_and_encodes_back(string term, string escape, bool isG1)
    {
        var reference = PydicomReference.CodeTable(term);
        Assert.Equal(94 * 94, reference.Count);

        var characterSet = DicomCharacterSet.FromSpecificCharacterSet(["", term]);
        var value = new List<byte>(System.Text.Encoding.ASCII.GetBytes(escape));
        for (var row = 0x21; row <= 0x7E; row++)
        {
            for (var cell = 0x21; cell <= 0x7E; cell++)
            {
                value.Add((byte)(isG1 ? row | 0x80 : row));
                value.Add((byte)(isG1 ? cell | 0x80 : cell));
            }
        }

        var decoded = characterSet.Decode(value.ToArray(), DicomTextKind.Text);
        Assert.Equal(94 * 94, decoded.Length);

        var mismatches = new List<string>();
        var defined = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            var expected = reference[i];
            if (expected is null)
            {
                continue;
            }

            defined++;
            var code = $"{0x21 + (i / 94):X2}{0x21 + (i % 94):X2}";
            if (DeliberateDifferences.TryGetValue((term, code), out var ours))
            {
                Assert.Equal(ours, decoded[i]);
                continue;
            }

            if (expected != decoded[i].ToString())
            {
                mismatches.Add($"{code}: Python U+{(int)expected[0]:X4}, we U+{(int)decoded[i]:X4}");
                continue;
            }

            var encoded = characterSet.Encode(expected, DicomTextKind.Text);
            if (characterSet.Decode(encoded, DicomTextKind.Text) != expected)
            {
                mismatches.Add($"{code}: U+{(int)expected[0]:X4} does not round trip ({Convert.ToHexString(encoded)})");
            }
        }

        Assert.True(defined > 5000, $"only {defined} codes defined for {term}");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {defined} codes differ: {string.Join("; ", mismatches.Take(20))}");
    }
}
