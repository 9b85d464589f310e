using Pacs.Dicom.IO;

namespace Pacs.Web.Stow;

/// <summary>
/// A forward-only read of bytes already taken from a stream (<c>head</c>) followed by the rest of that stream: the
/// dataset of a STOW-RS part whose File Meta Information was read first.
/// </summary>
internal sealed class HeadThenRestStream(ReadOnlyMemory<byte> head, Stream rest) : ForwardReadStream
{
    private ReadOnlyMemory<byte> _head = head;

    public override int Read(Span<byte> buffer) => _head.IsEmpty ? rest.Read(buffer) : TakeHead(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _head.IsEmpty ? rest.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(TakeHead(buffer.Span));

    private int TakeHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _head.Length);
        _head.Span[..n].CopyTo(buffer);
        _head = _head[n..];
        return n;
    }
}
