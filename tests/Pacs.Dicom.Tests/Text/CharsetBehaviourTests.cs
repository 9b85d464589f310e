using System.Text;
using Pacs.Dicom.Text;

namespace Pacs.Dicom.Tests.Text;

/// <summary>How Specific Character Set values are interpreted, and how decoding copes with bad input.</summary>
public sealed class CharsetBehaviourTests
{
    [Theory]
    [InlineData("ISO_IR 100")]
    [InlineData("ISO_IR 100 ")]
    [InlineData(" iso_ir 100")]
    [InlineData("ISO-IR 100")]
    [InlineData("ISO IR 100")]
    [InlineData("ISO_IR100")]
    [InlineData("ISO_IR 100\0")]
    public void Misspelled_terms_are_still_understood(string term)
    {
        var characterSet = DicomCharacterSet.FromSpecificCharacterSet([term]);

        Assert.Empty(characterSet.UnknownTerms);
        Assert.Equal(["ISO_IR 100"], characterSet.Terms);
        Assert.Equal("Jérôme", characterSet.Decode([(byte)'J', 0xE9, (byte)'r', 0xF4, (byte)'m', (byte)'e'], DicomTextKind.Text));
    }

    [Fact]
    public void Mixed_forms_and_an_empty_first_value_are_read_as_code_extensions()
    {
        var mixed = DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 100", "ISO_IR 126"]);
        Assert.Equal(["ISO 2022 IR 100", "ISO 2022 IR 126"], mixed.Terms);
        Assert.Equal("ä=Δ", mixed.Decode(Encoding.Latin1.GetBytes("\u00e4=\u001b-F\u00c4"), DicomTextKind.Text));

        var japanese = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 87 "]);
        Assert.Equal(["", "ISO 2022 IR 87"], japanese.Terms);
        Assert.Equal("山田", japanese.Decode(Encoding.Latin1.GetBytes("\u001b$B;3ED\u001b(B"), DicomTextKind.PersonName));

        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([]));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([""]));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet(""));
        Assert.Equal(["ISO_IR 192"], DicomCharacterSet.FromSpecificCharacterSet(["", "ISO_IR 192"]).Terms);
    }

    [Fact]
    public void Unknown_terms_fall_back_to_the_default_repertoire_and_are_reported()
    {
        var unknown = DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 999"]);
        Assert.Equal(["ISO_IR 999"], unknown.UnknownTerms);
        Assert.Equal("Smith^John", unknown.Decode("Smith^John"u8, DicomTextKind.PersonName));
        Assert.Equal("Smith^?"u8.ToArray(), unknown.Encode("Smith^山", DicomTextKind.PersonName));

        var partly = DicomCharacterSet.FromSpecificCharacterSet(["WINDOWS-1252", "ISO 2022 IR 87"]);
        Assert.Equal(["WINDOWS-1252"], partly.UnknownTerms);
        Assert.Equal("WINDOWS-1252\\ISO 2022 IR 87", partly.ToString());
        Assert.Equal("やまだ", partly.Decode(Encoding.Latin1.GetBytes("\u001b$B$d$^$@\u001b(B"), DicomTextKind.PersonName));
    }

    [Fact]
    public void Escape_state_returns_to_the_initial_sets_at_delimiters()
    {
        // G1 starts as Latin-1; ESC - F puts Greek into G1 until the next delimiter.
        var latinGreek = DicomCharacterSet.FromSpecificCharacterSet(["ISO 2022 IR 100", "ISO 2022 IR 126"]);
        var value = Encoding.Latin1.GetBytes("\u001b-F\u00c4^\u00c4=\u00c4\\\u00c4");

        Assert.Equal("Δ^Ä=Ä\\Ä", latinGreek.Decode(value, DicomTextKind.PersonName));
        Assert.Equal("Δ^Δ=Δ\\Ä", latinGreek.Decode(value, DicomTextKind.Text));

        foreach (var control in "\r\n\t\f")
        {
            var line = Encoding.Latin1.GetBytes($"\u001b-F\u00c4{control}\u00c4");
            Assert.Equal($"Δ{control}Ä", latinGreek.Decode(line, DicomTextKind.Text));
        }

        // In JIS X 0208 mode '^' (0x5E) and '=' (0x3D) are halves of characters, not delimiters: "ま" is 0x245E.
        var japanese = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.Equal("ま=", japanese.Decode(Encoding.Latin1.GetBytes("\u001b$B$^\u001b(B="), DicomTextKind.PersonName));
    }

    [Fact]
    public void Bad_bytes_decode_to_replacement_characters_without_throwing()
    {
        var japanese = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.Equal("\uFFFD", japanese.Decode(Encoding.Latin1.GetBytes("\u001b$B;"), DicomTextKind.Text));
        Assert.Equal("A\uFFFDB", japanese.Decode(Encoding.Latin1.GetBytes("A\u001b%ZB"), DicomTextKind.Text));
        Assert.Equal("A\uFFFD", japanese.Decode(Encoding.Latin1.GetBytes("A\u001b"), DicomTextKind.Text));

        var korean = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 149"]);
        Assert.Equal("\uFFFDA", korean.Decode(Encoding.Latin1.GetBytes("\u001b$)C\u00b1A"), DicomTextKind.Text));

        var utf8 = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192");
        Assert.Equal("a\uFFFDb", utf8.Decode([(byte)'a', 0xFF, (byte)'b'], DicomTextKind.Text));

        // Every set, fed every byte value and random noise, must decode without an exception.
        var random = new Random(20240601);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        foreach (var terms in CharsetRoundTripTests.Cases.Select(c => c.Terms).Distinct().Append("GBK").Append("ISO_IR 203"))
        {
            var characterSet = DicomCharacterSet.FromSpecificCharacterSet(terms);
            foreach (var kind in new[] { DicomTextKind.Text, DicomTextKind.PersonName })
            {
                Assert.NotNull(characterSet.Decode(noise, kind));
                Assert.NotNull(characterSet.Decode(everyByte, kind));
            }
        }
    }

    [Fact]
    public void Undeclared_high_bytes_are_read_leniently()
    {
        // No (0008,0005) but Latin-1 bytes: the commonest real-world mistake.
        Assert.Equal("Müller", DicomCharacterSet.Default.Decode([(byte)'M', 0xFC, (byte)'l', (byte)'l', (byte)'e', (byte)'r'], DicomTextKind.PersonName));

        // KS X 1001 bytes written without the escape sequence that should designate the set.
        var korean = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 149"]);
        Assert.Equal("김희중", korean.Decode([0xB1, 0xE8, 0xC8, 0xF1, 0xC1, 0xDF], DicomTextKind.PersonName));
    }

    [Fact]
    public void ASCII_values_take_the_fast_path_and_allocate_only_the_result()
    {
        var sets = new[]
        {
            DicomCharacterSet.Default,
            DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100"),
            DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192"),
            DicomCharacterSet.FromSpecificCharacterSet(["ISO 2022 IR 13", "ISO 2022 IR 87"]),
        };
        var bytes = "SMITH^JOHN^^DR"u8.ToArray();
        foreach (var set in sets)
        {
            Assert.Equal("SMITH^JOHN^^DR", set.Decode(bytes, DicomTextKind.PersonName));
            Assert.Equal(bytes, set.Encode("SMITH^JOHN^^DR", DicomTextKind.PersonName));

            const int Rounds = 1000;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Rounds; i++)
            {
                set.Decode(bytes, DicomTextKind.PersonName);
            }

            var perDecode = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;

            // A 14-character string is 56 bytes on 64-bit .NET.
            Assert.True(perDecode <= 56, $"{set}: {perDecode} bytes per decode");
        }
    }
}
