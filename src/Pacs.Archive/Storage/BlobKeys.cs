using System.Globalization;
using Pacs.Dicom;

namespace Pacs.Archive.Storage;

/// <summary>
/// Object keys. Instances are stored under <c>{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}_{version}.dcm</c>:
/// a new version gets a new key, so an object is never overwritten and a reader never sees a half-replaced one. The
/// versions of an instance sit beside the other instances of its series rather than in a folder of their own: on a
/// file system a folder per instance cost a directory creation and two directory fsyncs per stored instance (measured:
/// a directory creation was the slowest file-system call of ingest). Keys written under the earlier layout
/// (<c>…/{SOPInstanceUID}/{version}.dcm</c>) stay valid: the index records every version's key.
/// </summary>
public static class BlobKeys
{
    public const int MaxLength = 1024;

    public static string ForInstance(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid, long version) =>
        InstancePrefix(studyInstanceUid, seriesInstanceUid, sopInstanceUid) + version.ToString(CultureInfo.InvariantCulture) + ".dcm";

    /// <summary>The start of the key of every version of one instance (<c>…/{SOPInstanceUID}_</c>).</summary>
    public static string InstancePrefix(string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid)
    {
        foreach (var uid in (ReadOnlySpan<string>)[studyInstanceUid, seriesInstanceUid, sopInstanceUid])
        {
            if (!DicomUid.IsValid(uid))
            {
                throw new ArgumentException($"'{uid}' is not a valid UID.", nameof(studyInstanceUid));
            }
        }

        return $"{studyInstanceUid}/{seriesInstanceUid}/{sopInstanceUid}_";
    }

    /// <summary>
    /// Throws unless <paramref name="key"/> is a relative path of safe segments: letters, digits, '.', '-', '_',
    /// no empty, '.'-leading or '..' segment (so it can neither climb out of a root nor collide with temporary files).
    /// </summary>
    public static void Validate(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        }
    }

    public static bool IsValid(string? key) => key is not null && key.Length <= MaxLength && key.Length > 0 && AreSegmentsValid(key, allowTrailingSlash: false);

    /// <summary>A listing prefix: empty, or a valid key that may end with '/'.</summary>
    public static void ValidatePrefix(string prefix)
    {
        if (prefix.Length > MaxLength || (prefix.Length > 0 && !AreSegmentsValid(prefix, allowTrailingSlash: true)))
        {
            throw new ArgumentException($"Invalid blob key prefix '{prefix}'.", nameof(prefix));
        }
    }

    private static bool AreSegmentsValid(string key, bool allowTrailingSlash)
    {
        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                if (allowTrailingSlash && i == segments.Length - 1 && i > 0)
                {
                    continue;
                }

                return false;
            }

            if (segment[0] == '.')
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
