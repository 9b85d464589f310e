using System.Collections.Frozen;
using System.Numerics;

namespace Pacs.Dicom;

/// <summary>A UID of the standard (PS3.6 Annex A) or any other valid UID.</summary>
public sealed partial class DicomUid : IEquatable<DicomUid>
{
    public DicomUid(string value, string name, string keyword, DicomUidType type, bool isRetired)
    {
        Value = value;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
    }

    public string Value { get; }

    public string Name { get; }

    public string Keyword { get; }

    public DicomUidType Type { get; }

    public bool IsRetired { get; }

    /// <summary>Every UID the standard defines.</summary>
    public static IReadOnlyCollection<DicomUid> All => Registry.Known.Values;

    /// <summary>A standard UID, or null; trailing NUL or space padding is ignored.</summary>
    public static DicomUid? Lookup(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Registry.Known.TryGetValue(value.TrimEnd('\0', ' '), out var uid) ? uid : null;
    }

    /// <summary>The standard UID with this value, or a new one of type Other named by its value.</summary>
    public static DicomUid Parse(string value) => Lookup(value) ?? new DicomUid(value.TrimEnd('\0', ' '), value, string.Empty, DicomUidType.Other, false);

    /// <summary>A new UID under the 2.25 root from a random UUID (PS3.5 B.2), so no registered root is needed.</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>PS3.5 9.1: at most 64 characters, digits in dot-separated components, no empty components, no leading zero.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        var componentStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0 || (length > 1 && value[componentStart] == '0'))
                {
                    return false;
                }

                componentStart = i + 1;
            }
            else if (value[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(DicomUid? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DicomUid other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Keyword.Length > 0 ? $"{Value} ({Name})" : Value;

    /// <summary>Built on first use, after the generated static fields it indexes are initialised (field order across partial files is not defined).</summary>
    private static class Registry
    {
        public static readonly FrozenDictionary<string, DicomUid> Known =
            CreateKnown().ToFrozenDictionary(u => u.Value, StringComparer.Ordinal);
    }
}
