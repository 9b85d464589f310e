using System.Collections.Frozen;

namespace Pacs.Dicom;

/// <summary>A transfer syntax: how a dataset is encoded (PS3.5 section 10, Annex A).</summary>
public sealed partial class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private DicomTransferSyntax(DicomUid uid, bool isExplicitVR, bool isBigEndian, bool isDeflated, bool isEncapsulated, bool isLossy, bool isKnown)
    {
        Uid = uid;
        IsExplicitVR = isExplicitVR;
        IsBigEndian = isBigEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
        IsLossy = isLossy;
        IsKnown = isKnown;
    }

    public DicomUid Uid { get; }

    public string UidValue => Uid.Value;

    public string Name => Uid.Name;

    public bool IsExplicitVR { get; }

    public bool IsBigEndian { get; }

    /// <summary>The whole dataset after the File Meta Information is deflated (not per-frame deflate).</summary>
    public bool IsDeflated { get; }

    /// <summary>Pixel Data is encapsulated in fragments (PS3.5 A.4).</summary>
    public bool IsEncapsulated { get; }

    public bool IsLossy { get; }

    public bool IsRetired => Uid.IsRetired;

    /// <summary>False for a UID this toolkit has no definition of; such data is read as explicit VR little endian (PS3.5 10.1).</summary>
    public bool IsKnown { get; }

    public static IReadOnlyCollection<DicomTransferSyntax> All => Registry.Known.Values;

    public static DicomTransferSyntax? Lookup(string? uid) =>
        uid is not null && Registry.Known.TryGetValue(uid.TrimEnd('\0', ' '), out var ts) ? ts : null;

    public static DicomTransferSyntax Parse(string uid) =>
        Lookup(uid) ?? new DicomTransferSyntax(DicomUid.Parse(uid), true, false, false, true, false, false);

    public bool Equals(DicomTransferSyntax? other) => other is not null && string.Equals(UidValue, other.UidValue, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DicomTransferSyntax other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(UidValue);

    public override string ToString() => Uid.ToString();

    /// <summary>Built on first use, after the generated static fields it indexes are initialised (field order across partial files is not defined).</summary>
    private static class Registry
    {
        public static readonly FrozenDictionary<string, DicomTransferSyntax> Known =
            CreateKnown().ToFrozenDictionary(t => t.UidValue, StringComparer.Ordinal);
    }
}
