using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pacs.Web.Tests;

/// <summary>Requests meant to hurt: each gets a 4xx with a message, stores nothing, and the server keeps serving.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostileHttpTests(ServerFixture server)
{
    public static TheoryData<string, string, string, int> MalformedStow => new()
    {
        { "no boundary parameter", "multipart/related; type=\"application/dicom\"", "--x\r\n\r\nDICM\r\n--x--", 400 },
        { "boundary not in the body", "multipart/related; type=\"application/dicom\"; boundary=abc", "--zzz\r\nContent-Type: application/dicom\r\n\r\n0123\r\n--zzz--", 400 },
        { "body ends inside a part", "multipart/related; type=\"application/dicom\"; boundary=abc", "--abc\r\nContent-Type: application/dicom\r\n\r\nDICMDICMDICM", 400 },
        { "empty body", "multipart/related; type=\"application/dicom\"; boundary=abc", "", 400 },
        { "not multipart", "application/dicom", "DICM", 415 },
        { "xml parts", "multipart/related; type=\"application/dicom+xml\"; boundary=abc", "--abc\r\nContent-Type: application/dicom+xml\r\n\r\n<x/>\r\n--abc--", 415 },
        { "json metadata of no instance", "multipart/related; type=\"application/dicom+json\"; boundary=abc", "--abc\r\nContent-Type: application/dicom+json\r\n\r\n[]\r\n--abc--", 400 },
        { "json request without metadata", "multipart/related; type=\"application/dicom+json\"; boundary=abc", "--abc\r\nContent-Type: application/octet-stream\r\nContent-Location: x\r\n\r\n0123\r\n--abc--", 400 },
        { "boundary too long", "multipart/related; type=\"application/dicom\"; boundary=" + new string('b', 100), "--x--", 400 },
    };

    [Theory]
    [MemberData(nameof(MalformedStow))]
    public async Task Malformed_stow_requests_are_refused_and_store_nothing(string why, string contentType, string body, int status)
    {
        var before = await server.ServerAliveAsync();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await server.Http.PostAsync("/dicomweb/studies", content);
        Assert.True(status == (int)response.StatusCode, $"{why}: {(int)response.StatusCode}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"detail\"", text, StringComparison.Ordinal);
        Assert.Equal(before, await server.ServerAliveAsync());
    }

    [Fact]
    public async Task A_body_that_breaks_off_after_a_good_part_stores_nothing_and_leaves_no_staged_file()
    {
        var sample = Samples.TryLoad("pyd_CT_small.dcm")!;
        using (var delete = await server.Http.DeleteAsync(sample.InstancePath))
        {
            Assert.True(delete.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound);
        }

        var before = await server.ServerAliveAsync();
        var blobsBefore = server.BlobFileCount();
        var body = new MemoryStream();
        body.Write("--abc\r\nContent-Type: application/dicom\r\n\r\n"u8);
        body.Write(sample.Bytes);
        body.Write("\r\n--abc\r\nContent-Type: application/dicom\r\n\r\n"u8);
        body.Write(sample.Bytes.AsSpan(0, 1000));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=abc");
        using var response = await server.Http.PostAsync("/dicomweb/studies", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing was stored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await server.ServerAliveAsync());
        using var metadata = await server.Http.GetAsync(sample.InstancePath + "/metadata");
        Assert.Equal(HttpStatusCode.NotFound, metadata.StatusCode);
        Assert.Equal(0, server.StagedFileCount());
        Assert.Equal(blobsBefore, server.BlobFileCount());
        Assert.Equal(0, await server.ReservationCountAsync());
    }

    [Fact]
    public async Task Huge_part_headers_are_refused()
    {
        var before = await server.ServerAliveAsync();
        var sample = Samples.TryLoad("pyd_MR_small.dcm")!;
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("--abc\r\nContent-Type: application/dicom\r\nX-Filler: " + new string('a', 64 * 1024) + "\r\n\r\n"));
        body.Write(sample.Bytes);
        body.Write("\r\n--abc--"u8);
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=abc");
        using var response = await server.Http.PostAsync("/dicomweb/studies", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await server.ServerAliveAsync());
    }

    [Fact]
    public async Task Huge_request_headers_are_refused_by_the_server()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Filler", new string('a', 128 * 1024));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await server.ServerAliveAsync();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_even_when_streamed_without_a_length()
    {
        var before = await server.ServerAliveAsync();
        var sample = Samples.TryLoad("pyd_CT_small.dcm")!;
        var parts = Enumerable.Repeat(sample.Bytes, (int)(ServerFixture.StowLimit / sample.Bytes.Length) + 2).ToArray();
        // Declared: refused from the headers alone, before any of the body is read.
        var uri = new Uri(server.BaseUrl);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /dicomweb/studies HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=abc\r\nContent-Length: {ServerFixture.StowLimit + 1}\r\n\r\n"));
            var buffer = new byte[4096];
            var n = await stream.ReadAsync(buffer);
            var answer = Encoding.ASCII.GetString(buffer, 0, n);
            Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
            Assert.Contains("exceeds the limit", answer, StringComparison.Ordinal);
        }

        // Chunked: the limit applies while the body streams in, and the parts spooled so far are discarded.
        var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes("--abc\r\nContent-Type: application/dicom\r\n\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }

        body.Write("--abc--"u8);
        var content = new StreamContent(new NonSeekable(body.ToArray()));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=abc");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpStatusCode? status = null;
        try
        {
            using var response = await server.Http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The server may close the connection while the client still sends; what matters is that nothing was stored.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"got {status}");
        Assert.Equal(before, await server.ServerAliveAsync());
    }

    public static TheoryData<string> BadPaths => new()
    {
        "/dicomweb/studies/1.2.3/series/1.2.3/instances/..%2F..%2Fetc%2Fpasswd",
        "/dicomweb/studies/1.2.3/series/1.2.3/instances/1.2.3%2F..%2F..%2F..%2Fserver.json/metadata",
        "/dicomweb/studies/abc/series/1.2.3/instances/1.2.3",
        "/dicomweb/studies/1.2.3/series/1.02.3/instances/1.2.3/frames/1",
        "/dicomweb/studies/1.2.3'%20OR%20'1'='1/series/1.2.3/instances/1.2.3/rendered",
        "/dicomweb/studies/" + new string('1', 70) + "/series/1.2/instances/1.2/thumbnail",
        "/wado?requestType=WADO&studyUID=1.2&seriesUID=..%2F..&objectUID=1.2&contentType=application/dicom",
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task Invalid_uids_and_path_traversal_give_400(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a valid DICOM UID", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.ServerAliveAsync();
    }

    [Fact]
    public async Task A_raw_garbage_request_line_does_not_hurt_the_server()
    {
        var uri = new Uri(server.BaseUrl);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /dicomweb/studies HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
            var buffer = new byte[256];
            var n = await stream.ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
        }

        await server.ServerAliveAsync();
    }

    private sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 65536));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
