using System.Net;
using System.Runtime.CompilerServices;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Pacs.Archive.Storage;

/// <summary>
/// Objects in an S3 bucket (MinIO in production) through the Minio client. S3 makes a PUT visible only once complete,
/// so an interrupted put leaves nothing (an unfinished multipart upload is invisible to GET and LIST).
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const string ContentType = "application/dicom";
    private readonly S3BlobStoreOptions _options;
    private readonly IMinioClient _client;
    private readonly HttpClient _http;

    public S3BlobStore(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithRegion(options.Region)
            .WithSSL(options.UseTls)
            .Build();
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Creates the bucket when it does not exist yet (call once on start-up).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        if (await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_options.Bucket), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await _client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_options.Bucket).WithLocation(_options.Region), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // Minio 7.0.0 reports the 409 of a duplicate MakeBucket (another node won the race) as ArgumentException.
            if (!await _client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_options.Bucket), cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    public bool ReadsAreSeekable => false;

    public async Task<BlobInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(content);

        // A known size lets Minio send one PUT; -1 makes it stream a multipart upload.
        var size = RemainingLength(content);
        var args = new PutObjectArgs()
            .WithBucket(_options.Bucket)
            .WithObject(key)
            .WithStreamData(content)
            .WithObjectSize(size)
            .WithContentType(ContentType);
        await _client.PutObjectAsync(args, cancellationToken).ConfigureAwait(false);
        return await GetInfoAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"S3 acknowledged '{key}' but does not list it.");
    }

    public Task<IStagedBlob> StageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = _options.StagingDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        return Task.FromResult<IStagedBlob>(new S3StagedBlob(this, Path.Combine(directory, "s3-" + Guid.NewGuid().ToString("N") + ".staged")));
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        SendGetAsync(key, range: null, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length == 0 ? Task.FromResult<Stream>(new MemoryStream([], writable: false)) : SendGetAsync(key, (offset, offset + length - 1), cancellationToken);
    }

    public async Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        try
        {
            var stat = await _client.StatObjectAsync(new StatObjectArgs().WithBucket(_options.Bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
            return new BlobInfo(key, stat.Size, new DateTimeOffset(stat.LastModified.ToUniversalTime(), TimeSpan.Zero));
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(key, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        // S3 DELETE succeeds for absent objects, so whether there was one comes from a HEAD first.
        if (!await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(_options.Bucket).WithObject(key), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKeys.ValidatePrefix(prefix);
        var args = new ListObjectsArgs().WithBucket(_options.Bucket).WithPrefix(prefix).WithRecursive(true);
        await foreach (var item in _client.ListObjectsEnumAsync(args, cancellationToken).ConfigureAwait(false))
        {
            if (item.IsDir)
            {
                continue;
            }

            var modified = item.LastModifiedDateTime is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
            yield return new BlobInfo(item.Key, (long)item.Size, modified);
        }
    }

    private static long RemainingLength(Stream content)
    {
        try
        {
            return content.Length - content.Position;
        }
        catch (NotSupportedException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _client.Dispose();
    }

    /// <summary>
    /// GETs go through a presigned URL (signed locally, no request) fetched with HttpClient: it streams the body instead of
    /// handing it to a callback, and it is the workaround for ranged reads — Minio 7.0.0's
    /// <c>GetObjectArgs.WithOffsetAndLength</c> turns the server's 206 answer into a PartialContentException
    /// (fixed upstream after 7.0.0). Keep this the only place that knows about it.
    /// </summary>
    private async Task<Stream> SendGetAsync(string key, (long First, long Last)? range, CancellationToken cancellationToken)
    {
        BlobKeys.Validate(key);
        var expiry = (int)_options.PresignedUrlLifetime.TotalSeconds;
        var url = await _client.PresignedGetObjectAsync(new PresignedGetObjectArgs().WithBucket(_options.Bucket).WithObject(key).WithExpiry(expiry)).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is { } r)
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(r.First, r.Last);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                    return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    response.Dispose();
                    return new MemoryStream([], writable: false); // offset at or past the end: no bytes, as the file store answers
                case HttpStatusCode.NotFound:
                    throw new BlobNotFoundException($"No object '{key}' in bucket '{_options.Bucket}'.");
                default:
                    throw new IOException($"GET '{key}' from S3 answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The body stream of a response that disposes the response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream body) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => body.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            body.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            body.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                body.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
