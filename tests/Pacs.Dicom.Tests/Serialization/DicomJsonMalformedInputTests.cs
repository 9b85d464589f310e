using System.Text;
using Pacs.Dicom.Serialization;

namespace Pacs.Dicom.Tests.Serialization;

/// <summary>Malformed DICOM JSON fails with a DicomException, never with anything else.</summary>
public sealed class DicomJsonMalformedInputTests
{
    public static TheoryData<string, string> Inputs() => new()
    {
        { "empty", "" },
        { "truncated", """{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe""" },
        { "trailing comma", """{"00100020":{"vr":"LO","Value":["x"]},}""" },
        { "not an object", "[1,2]" },
        { "string root", "\"00100010\"" },
        { "bad tag", """{"0010001G":{"vr":"LO"}}""" },
        { "short tag", """{"0010":{"vr":"LO"}}""" },
        { "item tag", """{"FFFEE000":{"vr":"SQ"}}""" },
        { "duplicate tag", """{"00100020":{"vr":"LO"},"00100020":{"vr":"LO"}}""" },
        { "attribute not an object", """{"00100020":"x"}""" },
        { "missing vr", """{"00100020":{"Value":["x"]}}""" },
        { "bad vr", """{"00100020":{"vr":"XX"}}""" },
        { "lower case vr", """{"00100020":{"vr":"lo"}}""" },
        { "vr not a string", """{"00100020":{"vr":5}}""" },
        { "unknown member", """{"00100020":{"vr":"LO","Values":["x"]}}""" },
        { "value and inline binary", """{"00100020":{"vr":"LO","Value":["x"],"InlineBinary":"AA=="}}""" },
        { "value not an array", """{"00100020":{"vr":"LO","Value":"x"}}""" },
        { "number in a string VR", """{"00100020":{"vr":"LO","Value":[5]}}""" },
        { "backslash in a value", """{"00100020":{"vr":"LO","Value":["a\\b"]}}""" },
        { "two values in LT", """{"00104000":{"vr":"LT","Value":["a","b"]}}""" },
        { "PN as a string", """{"00100010":{"vr":"PN","Value":["Doe^John"]}}""" },
        { "PN unknown group", """{"00100010":{"vr":"PN","Value":[{"Latin":"Doe"}]}}""" },
        { "PN group a number", """{"00100010":{"vr":"PN","Value":[{"Alphabetic":1}]}}""" },
        { "US out of range", """{"00280010":{"vr":"US","Value":[65536]}}""" },
        { "US negative", """{"00280010":{"vr":"US","Value":[-1]}}""" },
        { "US fraction", """{"00280010":{"vr":"US","Value":[1.5]}}""" },
        { "US null", """{"00280010":{"vr":"US","Value":[null]}}""" },
        { "US string", """{"00280010":{"vr":"US","Value":["1"]}}""" },
        { "SS out of range", """{"00189219":{"vr":"SS","Value":[40000]}}""" },
        { "UV negative", """{"00720082":{"vr":"UV","Value":[-1]}}""" },
        { "SV string not a number", """{"00720080":{"vr":"SV","Value":["12x"]}}""" },
        { "FL out of range", """{"00181320":{"vr":"FL","Value":[1e300]}}""" },
        { "FD string", """{"00189220":{"vr":"FD","Value":["1.5"]}}""" },
        { "huge number", """{"00189220":{"vr":"FD","Value":[1e999]}}""" },
        { "IS fraction", """{"00200013":{"vr":"IS","Value":[1.5]}}""" },
        { "IS out of range", """{"00200013":{"vr":"IS","Value":[99999999999]}}""" },
        { "AT bad", """{"00209165":{"vr":"AT","Value":["0010001"]}}""" },
        { "AT number", """{"00209165":{"vr":"AT","Value":[1048592]}}""" },
        { "OB with Value", """{"00420011":{"vr":"OB","Value":[1,2]}}""" },
        { "invalid base64", """{"00420011":{"vr":"OB","InlineBinary":"not base64!"}}""" },
        { "base64 not a string", """{"00420011":{"vr":"OB","InlineBinary":[1]}}""" },
        { "empty bulk data URI", """{"00420011":{"vr":"OB","BulkDataURI":""}}""" },
        { "SQ item not an object", """{"00081140":{"vr":"SQ","Value":[1]}}""" },
        { "SQ with inline binary", """{"00081140":{"vr":"SQ","InlineBinary":"AA=="}}""" },
        { "bad attribute in an item", """{"00081140":{"vr":"SQ","Value":[{"00081150":{"vr":"UI","Value":[true]}}]}}""" },
        { "comment", """{/* c */"00100020":{"vr":"LO"}}""" },
        { "invalid UTF-8 escape", "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"\\ud800\"]}}" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Malformed_json_fails_with_a_dicom_exception(string what, string json)
    {
        var ex = Assert.Throws<DicomException>(() => DicomJson.Deserialize(json));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Malformed_json_from_a_stream_fails_with_a_dicom_exception(string what, string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var ex = await Assert.ThrowsAsync<DicomException>(() => DicomJsonReader.ReadAsync(stream));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
    }

    [Fact]
    public void Sequences_nested_ten_thousand_deep_are_rejected()
    {
        var json = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            json.Append("""{"00081140":{"vr":"SQ","Value":[""");
        }

        json.Append("{}");
        for (var i = 0; i < 10_000; i++)
        {
            json.Append("]}}");
        }

        var ex = Assert.Throws<DicomException>(() => DicomJson.Deserialize(json.ToString()));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Arrays_nested_ten_thousand_deep_are_rejected()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.Throws<DicomException>(() => DicomJson.Deserialize(json));
        Assert.Throws<DicomException>(() => DicomJson.DeserializeArray(json));
    }

    [Fact]
    public void Nesting_is_limited_by_max_depth_and_allowed_up_to_it()
    {
        static string Nested(int depth) =>
            string.Concat(Enumerable.Repeat("""{"00081140":{"vr":"SQ","Value":[""", depth)) + "{}" + string.Concat(Enumerable.Repeat("]}}", depth));

        var options = new DicomJsonReaderOptions { MaxDepth = 5 };
        var ok = DicomJsonReader.Read(Nested(5), options);
        Assert.Single(ok.GetSequence(DicomTag.ReferencedImageSequence));
        var ex = Assert.Throws<DicomException>(() => DicomJsonReader.Read(Nested(6), options));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_error_names_where_it_is()
    {
        var ex = Assert.Throws<DicomException>(() => DicomJson.Deserialize(
            """{"00081140":{"vr":"SQ","Value":[{},{"00280010":{"vr":"US","Value":[70000]}}]}}"""));
        Assert.Contains("00081140[1].00280010", ex.Message, StringComparison.Ordinal);
    }
}
