using System.Globalization;
using System.Text;
using Pacs.Dicom;
using Pacs.Dicom.Serialization;

namespace Pacs.Web.Wado;

/// <summary>
/// The path of a bulk data value inside an instance, as it appears in BulkDataURIs: tags and item indexes separated
/// by slashes, e.g. <c>7FE00010</c> or <c>00540016/0/00181072</c>.
/// </summary>
public static class BulkDataPath
{
    public static string Format(IReadOnlyList<DicomTagPathStep> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder();
        foreach (var step in path)
        {
            if (text.Length > 0)
            {
                text.Append('/');
            }

            text.Append(step.Tag.ToHex());
            if (step.ItemIndex is { } index)
            {
                text.Append('/').Append(index.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>The item the path names, or null when the path is malformed or leads nowhere.</summary>
    public static DicomItem? Resolve(DicomDataset dataset, string? path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (string.IsNullOrEmpty(path) || path.Length > 1024)
        {
            return null;
        }

        var segments = path.Split('/');
        if (segments.Length % 2 == 0)
        {
            return null;
        }

        var current = dataset;
        for (var i = 0; i < segments.Length; i += 2)
        {
            if (segments[i].Length != 8 || !uint.TryParse(segments[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                || !current.TryGetItem(DicomTag.FromValue(value), out var item))
            {
                return null;
            }

            if (i == segments.Length - 1)
            {
                return item;
            }

            if (item is not DicomSequence sequence || !int.TryParse(segments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sequence.Count)
            {
                return null;
            }

            current = sequence[index];
        }

        return null;
    }
}
