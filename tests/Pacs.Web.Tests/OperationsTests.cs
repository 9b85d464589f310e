using System.Net;
using System.Text.Json;

namespace Pacs.Web.Tests;

[Collection(ServerCollection.Name)]
public sealed class OperationsTests(ServerFixture server)
{
    [Fact]
    public async Task Health_reports_live_and_ready_with_database_and_storage()
    {
        using var live = await server.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await server.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("database").GetString());
        Assert.Equal("ok", body.GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Metrics_expose_request_latencies_and_stow_counts_in_prometheus_text()
    {
        var sample = Samples.TryLoad("pyd_MR_small.dcm")!;
        var (stow, _) = await server.StowAsync(null, sample.Bytes);
        Assert.Equal(HttpStatusCode.OK, stow.StatusCode);
        using var response = await server.Http.GetAsync("/metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/dicomweb/studies\"", text, StringComparison.Ordinal);
        var stored = text.Split('\n').Single(l => l.StartsWith("pacs_stow_instances_total{outcome=\"stored\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(stored.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l[0] != '#'))
        {
            Assert.Matches(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfa]+$", line);
        }
    }

    [Fact]
    public async Task Metrics_count_dicom_associations_and_stores_by_outcome()
    {
        // One store over DIMSE (a sample with fresh UIDs, so it is a new instance) and one association refused for its called AE title.
        var file = Path.Combine(Path.GetTempPath(), $"pacs-metrics-{Guid.NewGuid():N}.dcm");
        File.Copy(TestData.Sample("pyd_CT_small.dcm"), file);
        try
        {
            TestData.Run("dcmodify", ["-nb", "-gst", "-gse", "-gin", file]);
            TestData.Run("storescu", ["-aet", "METRICS", "-aec", "PACS", "127.0.0.1", server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), file]);
        }
        finally
        {
            File.Delete(file);
        }

        var refused = TestData.Run("echoscu", ["-aec", "NOT_PACS", "127.0.0.1", server.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
        Assert.NotEqual(0, refused.ExitCode);

        var text = await server.Http.GetStringAsync("/metrics");
        Assert.True(Value(text, "pacs_dicom_associations_total{outcome=\"accepted\"}") >= 1, text);
        Assert.True(Value(text, "pacs_dicom_associations_total{outcome=\"rejected\"}") >= 1, text);
        Assert.True(Value(text, "pacs_dicom_store_instances_total{status=\"stored\"}") >= 1, text);
        // The gauge is there (its value depends on whether storescu's release has been fully processed yet).
        Assert.InRange(Value(text, "pacs_dicom_associations_active"), 0, 1);
    }

    private static double Value(string metrics, string series) =>
        double.Parse(metrics.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Openapi_describes_every_mapped_service_and_has_a_browsable_page()
    {
        var doc = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/dicomweb/studies").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/dicomweb/studies/{study}").TryGetProperty("delete", out _));
        var wado = paths.GetProperty("/wado").GetProperty("get");
        Assert.Contains(wado.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "objectUID" && p.GetProperty("in").GetString() == "query");

        using var page = await server.Http.GetAsync("/openapi");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("fetch('v1.json')", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }
}
