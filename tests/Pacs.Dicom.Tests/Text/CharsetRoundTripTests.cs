using Pacs.Dicom.Text;

namespace Pacs.Dicom.Tests.Text;

/// <summary>Encode → decode for every supported term, checked against pydicom's decoder as well as our own.</summary>
public sealed class CharsetRoundTripTests
{
    // Terms, kind, text in the repertoire of the terms.
    public static readonly (string Terms, DicomTextKind Kind, string Text)[] Cases =
    [
        ("ISO_IR 6", DicomTextKind.PersonName, "Smith^John"),
        ("ISO_IR 100", DicomTextKind.PersonName, "Buc^Jérôme"),
        ("ISO_IR 101", DicomTextKind.PersonName, "Dvořák^Antonín"),
        ("ISO_IR 109", DicomTextKind.PersonName, "Ġużeppi^Ħabib"),
        ("ISO_IR 110", DicomTextKind.PersonName, "Šķēle^Ģirts"),
        ("ISO_IR 144", DicomTextKind.PersonName, "Люксембург^Иван"),
        ("ISO_IR 127", DicomTextKind.PersonName, "قباني^لنزار"),
        ("ISO_IR 126", DicomTextKind.PersonName, "Διονυσιος"),
        ("ISO_IR 138", DicomTextKind.PersonName, "שרון^דבורה"),
        ("ISO_IR 148", DicomTextKind.PersonName, "Şahin^Ömer Çağlar"),
        ("ISO_IR 13", DicomTextKind.PersonName, "ﾔﾏﾀﾞ^ﾀﾛｳ"),
        ("ISO_IR 166", DicomTextKind.PersonName, "สมชาย^ใจดี"),
        ("ISO_IR 192", DicomTextKind.PersonName, "Nguyễn^Văn Ánh"),
        ("ISO_IR 192", DicomTextKind.Text, "Trần Thị Ngọc Hân"),
        ("ISO_IR 192", DicomTextKind.Text, "Ωμέγα\\山田\\😀"),
        ("GB18030", DicomTextKind.PersonName, "Wang^XiaoDong=王^小东="),
        ("GBK", DicomTextKind.PersonName, "Wang^XiaoDong=王^小東="),
        ("ISO 2022 IR 6", DicomTextKind.Text, "Smith"),
        ("ISO 2022 IR 100", DicomTextKind.PersonName, "Äneas^Rüdiger"),
        ("ISO 2022 IR 101", DicomTextKind.Text, "Łódź"),
        ("ISO 2022 IR 109", DicomTextKind.Text, "Ħamrun"),
        ("ISO 2022 IR 110", DicomTextKind.Text, "Ļaudis"),
        ("ISO 2022 IR 144", DicomTextKind.Text, "Москва"),
        ("ISO 2022 IR 127", DicomTextKind.Text, "مرحبا"),
        ("ISO 2022 IR 126", DicomTextKind.Text, "Αθήνα"),
        ("ISO 2022 IR 138", DicomTextKind.Text, "ירושלים"),
        ("ISO 2022 IR 148", DicomTextKind.Text, "İstanbul"),
        ("ISO 2022 IR 13", DicomTextKind.Text, "ｶﾀｶﾅ"),
        ("ISO 2022 IR 166", DicomTextKind.Text, "กรุงเทพ"),
        ("\\ISO 2022 IR 87", DicomTextKind.PersonName, "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ("ISO 2022 IR 13\\ISO 2022 IR 87", DicomTextKind.PersonName, "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        ("ISO 2022 IR 6\\ISO 2022 IR 87", DicomTextKind.Text, "胸部\\腹部 CT\r\n所見なし"),
        ("\\ISO 2022 IR 87\\ISO 2022 IR 159", DicomTextKind.PersonName, "山田^丂=やまだ^Ａ"),
        ("\\ISO 2022 IR 149", DicomTextKind.PersonName, "Hong^Gildong=洪^吉洞=홍^길동"),
        ("\\ISO 2022 IR 149", DicomTextKind.Text, "김희중\\흉부 X선"),
        ("\\ISO 2022 IR 58", DicomTextKind.PersonName, "Zhang^XiaoDong=张^小东="),
        ("ISO 2022 IR 100\\ISO 2022 IR 126\\ISO 2022 IR 144", DicomTextKind.PersonName, "Müller^Δημήτρης=Люксембург^Jörg"),
        ("ISO 2022 IR 100\\ISO 2022 IR 87", DicomTextKind.Text, "Café 山田 ü"),
    ];

    // pydicom 2.3 knows neither ISO_IR 203 nor the escape sequence of ISO 2022 IR 58; those are checked
    // against Python's codecs in CharsetCodeTableTests and by our own round trip here.
    private static readonly (string Terms, DicomTextKind Kind, string Text)[] OwnDecoderOnly =
    [
        ("ISO_IR 203", DicomTextKind.PersonName, "Œuvre^Zoë 5€"),
        ("ISO 2022 IR 203", DicomTextKind.Text, "Šœ€"),
    ];

    [Fact]
    public void Every_term_round_trips_through_our_encoder_and_pydicom_reads_it_back()
    {
        var encoded = Cases.Select(c => (c.Terms, c.Kind, Value: Encode(c.Terms, c.Kind, c.Text))).ToArray();
        var pydicom = PydicomReference.Decode(encoded.Select(e => (e.Terms, e.Kind.ToString(), e.Value)));

        Assert.Equal(Cases.Length, pydicom.Count);
        var failures = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var (terms, kind, text) = Cases[i];
            var ours = DicomCharacterSet.FromSpecificCharacterSet(terms).Decode(encoded[i].Value, kind);
            if (ours != text)
            {
                failures.Add($"[{terms}] we read back '{ours}' for '{text}'");
            }

            // pydicom has no code for ISO 2022 IR 58's escape: compare that one through our decoder only.
            if (pydicom[i] != text && !terms.Contains("IR 58", StringComparison.Ordinal))
            {
                failures.Add($"[{terms}] pydicom reads '{pydicom[i]}' for '{text}' ({Convert.ToHexString(encoded[i].Value)})");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Latin9_round_trips_through_our_decoder()
    {
        foreach (var (terms, kind, text) in OwnDecoderOnly)
        {
            var characterSet = DicomCharacterSet.FromSpecificCharacterSet(terms);
            var bytes = characterSet.Encode(text, kind);
            Assert.DoesNotContain((byte)'?', bytes);
            Assert.Equal(text, characterSet.Decode(bytes, kind));
        }

        // ISO 8859-15 puts the euro sign at 0xA4, where ISO 8859-1 has the currency sign.
        Assert.Equal([0xA4], DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 203").Encode("€", DicomTextKind.Text));
    }

    [Fact]
    public void Vietnamese_names_round_trip_in_UTF8()
    {
        var utf8 = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192");
        foreach (var name in new[] { "Nguyễn^Văn Ánh", "Trần Thị Ngọc Hân", "Phạm^Thị Thu Hương=阮^文英" })
        {
            var bytes = utf8.Encode(name, DicomTextKind.PersonName);
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(name), bytes);
            Assert.Equal(name, utf8.Decode(bytes, DicomTextKind.PersonName));
        }

        Assert.True(utf8.IsUnicode);
    }

    [Fact]
    public void Escape_sequences_are_written_where_the_standard_puts_them()
    {
        var japanese = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 87");

        // Back to ASCII before each delimiter and at the end of the value (PS3.5 6.1.2.5.3).
        Assert.Equal(
            "\u001b$B;3\u001b(B\\\u001b$BED\u001b(B",
            Latin1(japanese.Encode("山\\田", DicomTextKind.Text)));

        // Korean is designated into G1 and must be designated again after each delimiter.
        var korean = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 149");
        Assert.Equal(
            "\u001b$)C\u00c8\u00ab^\u001b$)C\u00b1\u00e6",
            Latin1(korean.Encode("홍^길", DicomTextKind.PersonName)));

        // Inside a Text value '^' is not a delimiter: no second designation.
        Assert.Equal("\u001b$)C\u00c8\u00ab^\u00b1\u00e6", Latin1(korean.Encode("홍^길", DicomTextKind.Text)));
    }

    [Fact]
    public void Characters_outside_the_repertoire_become_question_marks()
    {
        Assert.Equal([(byte)'Z', (byte)'o', 0xEB, (byte)'?'], DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100").Encode("Zoë€", DicomTextKind.Text));
        Assert.Equal("Zoë?", DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100").Decode(
            DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100").Encode("Zoë€", DicomTextKind.Text), DicomTextKind.Text));
        Assert.Equal("?^John"u8.ToArray(), DicomCharacterSet.Default.Encode("山^John", DicomTextKind.PersonName));

        // A character outside the BMP is one '?', not two.
        Assert.Equal("a?b"u8.ToArray(), DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 87").Encode("a😀b", DicomTextKind.Text));

        // Without code extensions no escape may be written, so Greek cannot join Latin-1.
        Assert.Equal("A?"u8.ToArray(), DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100").Encode("AΔ", DicomTextKind.Text));
    }

    private static byte[] Encode(string terms, DicomTextKind kind, string text) =>
        DicomCharacterSet.FromSpecificCharacterSet(terms).Encode(text, kind);

    private static string Latin1(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
