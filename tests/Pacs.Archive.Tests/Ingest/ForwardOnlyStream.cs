using Pacs.Dicom.IO;

namespace Pacs.Archive.Tests.Ingest;

/// <summary>A read-only stream that cannot seek nor tell its length, as a DIMSE dataset arriving in P-DATA fragments.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : ForwardReadStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, 16_384)]);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, 16_384)], cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
