using Pacs.Archive.Index;
using Pacs.Archive.Storage;
using Pacs.Dicom;

namespace Pacs.Archive.Ingest;

/// <summary>
/// An instance received into a staged blob and identified (<see cref="IngestPipeline.ReceiveAsync"/>), not yet
/// reserved, committed or visible; <see cref="IngestPipeline.StoreAsync(ReceivedInstance, CancellationToken)"/>
/// archives it. Disposing it without storing discards the staged bytes.
/// </summary>
public sealed class ReceivedInstance : IAsyncDisposable
{
    internal ReceivedInstance(IngestResult result, IStagedBlob? staged = null, IngestRequest? request = null, StagedContent? content = null, IndexAttributes? attributes = null, string? metadata = null)
    {
        Result = result;
        Staged = staged;
        Request = request;
        Content = content;
        Attributes = attributes;
        Metadata = metadata;
    }

    /// <summary>The instance's UIDs when it was identified; otherwise the failure to report (nothing was kept).</summary>
    public IngestResult Result { get; }

    /// <summary>True when the instance was received and identified and can be stored.</summary>
    public bool IsReceived => Attributes is not null;

    internal IStagedBlob? Staged { get; }

    internal IngestRequest? Request { get; }

    internal StagedContent? Content { get; }

    internal IndexAttributes? Attributes { get; }

    internal string? Metadata { get; }

    /// <summary>
    /// Releases the staged content's file handle and buffer while the instance waits for its store (a STOW-RS request
    /// holds every part until its body has been read whole).
    /// </summary>
    public void Park() => Staged?.Park();

    public ValueTask DisposeAsync() => Staged?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// The bytes of a staged instance: the File Meta Information written in front (<see cref="PrefixLength"/> bytes, naming
/// <see cref="PrefixSopClassUid"/> and <see cref="PrefixSopInstanceUid"/>), then the dataset, and the dataset's <see cref="DatasetHash"/>.
/// </summary>
internal sealed record StagedContent(long Length, byte[] DatasetHash, int PrefixLength, string? PrefixSopClassUid, string? PrefixSopInstanceUid);
