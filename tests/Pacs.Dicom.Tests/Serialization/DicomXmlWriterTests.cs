using System.Globalization;
using System.Xml.Linq;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>PS3.19 Native DICOM Model XML against DCMTK's dcm2xml --native-format, value by value.</summary>
public sealed class DicomXmlWriterTests
{
    private static readonly XNamespace Ns = DicomXmlWriter.Namespace;

    [Theory]
    [InlineData("pyd_CT_small.dcm")]
    [InlineData("pyd_rtplan.dcm")]
    [InlineData("pyd_chrI2.dcm")]
    [InlineData("pyd_priv_SQ.dcm")]
    [InlineData("pyd_test-SR.dcm")]
    [InlineData("pydd_emri_small.dcm")]
    public void Xml_matches_dcm2xml(string name)
    {
        var ours = XDocument.Parse(DicomXmlWriter.ToXml(SampleFiles.Open(name).Dataset));
        Assert.Equal(Ns + "NativeDicomModel", ours.Root!.Name);

        // +Eb: binary values inline as base64, +Xn: the PS3.19 namespace, +U8: text converted to UTF-8 (without it
        // dcm2xml copies the source bytes, ISO 2022 escapes included, which XML cannot carry).
        var (code, stdout, stderr) = TestData.Run("dcm2xml", "-q", "--native-format", "+Eb", "+Xn", "+U8", TestData.Sample(name));
        Assert.True(code == 0, stderr);
        var reference = XDocument.Parse(stdout);

        var differences = new List<string>();
        CompareAttributes(ours.Root, reference.Root!, string.Empty, differences);
        Assert.True(differences.Count == 0, $"{name}:\n" + string.Join('\n', differences.Take(40)));
    }

    [Fact]
    public void Person_names_private_creators_and_bulk_data_uris_are_written_as_part_19_says()
    {
        var ds = new DicomDataset();
        ds.Add(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.Add(DicomTag.PatientName, "Yamada^Tarou=山田^太郎");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME"u8.ToArray()));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1002), DicomVR.OB, new byte[4000]));
        var options = new DicomXmlOptions { BulkDataMode = DicomBulkDataMode.BulkDataUri, BulkDataUriProvider = c => "bulk/" + c.PathText };
        var text = DicomXmlWriter.ToXml(ds, options);
        var xml = XDocument.Parse(text);
        var attributes = xml.Root!.Elements(Ns + "DicomAttribute").ToList();

        var name = attributes.Single(a => (string?)a.Attribute("tag") == "00100010");
        Assert.Equal("PatientName", (string?)name.Attribute("keyword"));
        var pn = name.Element(Ns + "PersonName")!;
        Assert.Equal("1", (string?)pn.Attribute("number"));
        Assert.Equal("Yamada", pn.Element(Ns + "Alphabetic")!.Element(Ns + "FamilyName")!.Value);
        Assert.Equal("太郎", pn.Element(Ns + "Ideographic")!.Element(Ns + "GivenName")!.Value);

        var priv = attributes.SingleOrDefault(a => (string?)a.Attribute("privateCreator") == "ACME");
        Assert.True(priv is not null, text);
        Assert.Equal("00090002", (string?)priv!.Attribute("tag"));
        Assert.Equal("bulk/00091002", (string?)priv.Element(Ns + "BulkData")!.Attribute("uri"));
    }

    private static void CompareAttributes(XElement ours, XElement reference, string path, List<string> differences)
    {
        static string Key(XElement a) => (string?)a.Attribute("tag") + "|" + (string?)a.Attribute("privateCreator");
        var ourAttributes = ours.Elements(Ns + "DicomAttribute").ToDictionary(Key);
        // dcm2xml +U8 sets Specific Character Set to ISO_IR 192 (we keep the source's, as in JSON); it writes group lengths.
        var refAttributes = reference.Elements(Ns + "DicomAttribute")
            .Where(a => !((string)a.Attribute("tag")!).EndsWith("0000", StringComparison.Ordinal) && (string?)a.Attribute("tag") != "00080005")
            .ToDictionary(Key);
        ourAttributes.Remove("00080005|");

        foreach (var key in ourAttributes.Keys.Except(refAttributes.Keys))
        {
            differences.Add($"{path}{key}: only in ours");
        }

        foreach (var key in refAttributes.Keys.Except(ourAttributes.Keys))
        {
            differences.Add($"{path}{key}: only in dcm2xml");
        }

        foreach (var key in refAttributes.Keys.Intersect(ourAttributes.Keys))
        {
            var a = ourAttributes[key];
            var b = refAttributes[key];
            var where = path + key;
            var vr = (string?)a.Attribute("vr");
            // dcm2xml 3.6.7 leaves the keyword out for retired attributes (e.g. OtherPatientIDs); compare it where it has one.
            if (vr != (string?)b.Attribute("vr") || (b.Attribute("keyword") is not null && (string?)a.Attribute("keyword") != (string?)b.Attribute("keyword")))
            {
                differences.Add($"{where}: vr/keyword {vr}/{(string?)a.Attribute("keyword")} vs {(string?)b.Attribute("vr")}/{(string?)b.Attribute("keyword")}");
                continue;
            }

            if (vr == "SQ")
            {
                var ai = a.Elements(Ns + "Item").ToList();
                var bi = b.Elements(Ns + "Item").ToList();
                if (ai.Count != bi.Count)
                {
                    differences.Add($"{where}: {ai.Count} items vs {bi.Count}");
                    continue;
                }

                for (var i = 0; i < ai.Count; i++)
                {
                    CompareAttributes(ai[i], bi[i], $"{where}[{i}].", differences);
                }

                continue;
            }

            var ab = a.Element(Ns + "InlineBinary")?.Value;
            var bb = b.Element(Ns + "InlineBinary")?.Value;
            if (ab is not null || bb is not null)
            {
                // dcm2xml 3.6.7 base64-encodes OW in big endian byte order; PS3.18 F.2.7 and we use little endian.
                var refBytes = bb is null ? null : Convert.FromBase64String(bb);
                if (refBytes is not null && vr == "OW")
                {
                    for (var i = 0; i + 1 < refBytes.Length; i += 2)
                    {
                        (refBytes[i], refBytes[i + 1]) = (refBytes[i + 1], refBytes[i]);
                    }
                }

                if (ab is null || refBytes is null || !Convert.FromBase64String(ab).SequenceEqual(refBytes))
                {
                    differences.Add($"{where}: InlineBinary differs");
                }

                continue;
            }

            if (vr == "PN")
            {
                // dcm2xml writes empty group elements before a non-empty later group; compare the components.
                var an = a.Elements(Ns + "PersonName").Select(Components).ToList();
                var bn = b.Elements(Ns + "PersonName").Select(Components).ToList();
                if (!an.SequenceEqual(bn))
                {
                    differences.Add($"{where}: [{string.Join(" | ", an)}] vs [{string.Join(" | ", bn)}]");
                }

                continue;
            }

            var av = a.Elements(Ns + "Value").Select(v => ((string?)v.Attribute("number"), v.Value)).ToList();
            var bv = b.Elements(Ns + "Value").Select(v => ((string?)v.Attribute("number"), v.Value)).ToList();
            if (av.Count != bv.Count || av.Zip(bv).Any(p => p.First.Item1 != p.Second.Item1 || !SameValue(vr!, p.First.Item2, p.Second.Item2)))
            {
                differences.Add($"{where}: [{string.Join('\\', av.Select(v => v.Item2))}] vs [{string.Join('\\', bv.Select(v => v.Item2))}]");
            }
        }
    }

    private static string Components(XElement personName) =>
        string.Join(';', personName.Elements().SelectMany(g => g.Elements().Select(c => $"{g.Name.LocalName}.{c.Name.LocalName}={c.Value}")));

    // FL/FD are formatted differently (dcm2xml prints 9 and 17 significant digits, we the shortest round trip).
    private static bool SameValue(string vr, string a, string b) => vr switch
    {
        "FL" => float.Parse(a, CultureInfo.InvariantCulture).Equals(float.Parse(b, CultureInfo.InvariantCulture)),
        "FD" => double.Parse(a, CultureInfo.InvariantCulture) is var x && double.Parse(b, CultureInfo.InvariantCulture) is var y &&
            (x.Equals(y) || Math.Abs(BitConverter.DoubleToInt64Bits(x) - BitConverter.DoubleToInt64Bits(y)) <= 1),
        _ => a == b,
    };
}
