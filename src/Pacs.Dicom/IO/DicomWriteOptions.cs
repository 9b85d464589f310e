using System.IO.Compression;

namespace Pacs.Dicom.IO;

/// <summary>How sequences and items are delimited on output.</summary>
public enum DicomSequenceLength
{
    /// <summary>Each sequence and item keeps the form it was read with (or was given).</summary>
    AsRead,
    Undefined,
    Defined,
}

/// <summary>What to do with group length elements (gggg,0000) found in a dataset.</summary>
public enum DicomGroupLengthHandling
{
    /// <summary>Keep those present, with their value recomputed for the output encoding.</summary>
    Recalculate,
    Remove,
}

public sealed record DicomWriteOptions
{
    public static readonly DicomWriteOptions Default = new();

    /// <summary>The transfer syntax to write; null means the file's own.</summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    public DicomSequenceLength SequenceLength { get; init; } = DicomSequenceLength.AsRead;

    public DicomGroupLengthHandling GroupLengths { get; init; } = DicomGroupLengthHandling.Recalculate;

    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}
