using System.Text.Json;
using Pacs.Dicom;
using Pacs.Dicom.Imaging.Codecs;
using Pacs.Dicom.Network.Server;

namespace Pacs.Web.Tests;

/// <summary>docs/conformance.md against what the code and the running server support.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConformanceDocumentTests(ServerFixture server)
{
    private static readonly Lazy<string> Document = new(() => File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "conformance.md")));

    [Fact]
    public void The_transfer_syntax_table_matches_the_toolkit_and_the_codec_registry()
    {
        var rows = Table("## Transfer syntaxes");
        Assert.Equal(DicomTransferSyntax.All.Select(t => t.UidValue).Order(StringComparer.Ordinal), rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var ts = DicomTransferSyntax.Lookup(row[0])!;
            var decoded = !ts.IsEncapsulated || DicomCodecRegistry.Default.TryGetCodec(ts, out _);
            var encoded = !ts.IsEncapsulated || (DicomCodecRegistry.Default.TryGetCodec(ts, out var codec) && codec.CanEncode);
            Assert.True(row[2] == "yes", $"{row[0]} is stored as received");
            Assert.True((row[3] == "yes") == decoded, $"{row[0]}: 'Frames decoded' says {row[3]}, the registry says {decoded}");
            Assert.True((row[4] == "yes") == encoded, $"{row[0]}: 'Transcode target' says {row[4]}, the registry says {encoded}");
        }
    }

    [Fact]
    public void The_storage_sop_class_table_matches_the_scp()
    {
        var listed = Table("## Storage SOP classes").Select(r => r[0]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(PresentationContextNegotiator.StorageSopClasses.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task The_http_service_table_matches_the_routes_the_server_maps()
    {
        var documented = Table("## DICOMweb and HTTP services").Select(r => $"{r[0]} {r[1].Trim('`')}").Order(StringComparer.Ordinal).ToList();
        var openApi = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var mapped = openApi.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public void The_verification_service_listed_answers_echoscu()
    {
        Assert.Contains(Table("## DIMSE services"), r => r[0] == "Verification" && r[1] == DicomUid.Verification.Value && r[3] == "supported");
        TestData.Run("echoscu", ["-aec", "PACS", "127.0.0.1", server.DicomPort.ToString()]);
    }

    /// <summary>Every Query/Retrieve SOP class the server's SCP registers is listed as supported, and findscu gets an answer on it.</summary>
    [Fact]
    public void The_query_retrieve_services_listed_are_those_the_server_offers()
    {
        var rows = Table("## DIMSE services");
        var offered = Pacs.Dicom.Network.Server.DicomQueryRetrieveSopClasses.Find
            .Concat(Pacs.Dicom.Network.Server.DicomQueryRetrieveSopClasses.Move)
            .Concat(Pacs.Dicom.Network.Server.DicomQueryRetrieveSopClasses.Get);
        foreach (var uid in offered)
        {
            Assert.Contains(rows, r => r[1] == uid && r[2] == "SCP" && r[3].StartsWith("supported", StringComparison.Ordinal));
        }

        TestData.Run("findscu", ["-S", "-aec", "PACS", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", server.DicomPort.ToString()]);
    }

    /// <summary>The cells of the first Markdown table after <paramref name="heading"/>, header and rule rows left out.</summary>
    private static List<string[]> Table(string heading)
    {
        var lines = Document.Value.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"{heading} is missing");
        var table = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).ToList();
        return [.. table.Skip(2).Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())];
    }
}
