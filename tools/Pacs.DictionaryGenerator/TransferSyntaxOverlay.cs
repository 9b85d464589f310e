namespace Pacs.DictionaryGenerator;

/// <summary>A row of overlay/transfer-syntaxes.tsv: encoding properties, and for post-2024c syntaxes the UID itself.</summary>
internal sealed record TransferSyntaxOverlay(string Uid, bool ExplicitVR, bool BigEndian, bool Deflated, bool Encapsulated, bool Lossy, UidRow? Addition)
{
    public static List<TransferSyntaxOverlay> Read(string path)
    {
        var rows = new List<TransferSyntaxOverlay>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length is not (6 or 9))
            {
                throw new InvalidDataException($"Overlay row needs 6 or 9 tab-separated columns: {line}");
            }

            var addition = f.Length == 9 ? new UidRow(f[0], f[6], f[7], "Transfer Syntax", f[8] == "R") : null;
            rows.Add(new TransferSyntaxOverlay(f[0], f[1] == "E", f[2] == "B", f[3] == "D", f[4] == "C", f[5] == "Y", addition));
        }

        return rows;
    }
}
