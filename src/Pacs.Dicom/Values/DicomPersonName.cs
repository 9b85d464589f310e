namespace Pacs.Dicom;

/// <summary>One component group of a PN value: family^given^middle^prefix^suffix (PS3.5 6.2.1).</summary>
public sealed record DicomPersonNameGroup(string FamilyName = "", string GivenName = "", string MiddleName = "", string NamePrefix = "", string NameSuffix = "")
{
    public static readonly DicomPersonNameGroup Empty = new();

    public bool IsEmpty => FamilyName.Length == 0 && GivenName.Length == 0 && MiddleName.Length == 0 && NamePrefix.Length == 0 && NameSuffix.Length == 0;

    public static DicomPersonNameGroup Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('^');
        string Part(int i) => i < parts.Length ? parts[i].Trim(' ') : string.Empty;

        // More than five components is malformed; keep the surplus in the suffix rather than losing it.
        var suffix = parts.Length > 5 ? string.Join('^', parts[4..]).Trim(' ') : Part(4);
        return new DicomPersonNameGroup(Part(0), Part(1), Part(2), Part(3), suffix);
    }

    /// <summary>The group text with trailing empty components dropped.</summary>
    public override string ToString()
    {
        string[] parts = [FamilyName, GivenName, MiddleName, NamePrefix, NameSuffix];
        var last = parts.Length - 1;
        while (last >= 0 && parts[last].Length == 0)
        {
            last--;
        }

        return string.Join('^', parts, 0, last + 1);
    }
}

/// <summary>A Person Name (PN) value with its alphabetic, ideographic and phonetic component groups.</summary>
public sealed record DicomPersonName(DicomPersonNameGroup Alphabetic, DicomPersonNameGroup Ideographic, DicomPersonNameGroup Phonetic)
{
    public DicomPersonName(string familyName, string givenName = "", string middleName = "", string namePrefix = "", string nameSuffix = "")
        : this(new DicomPersonNameGroup(familyName, givenName, middleName, namePrefix, nameSuffix), DicomPersonNameGroup.Empty, DicomPersonNameGroup.Empty)
    {
    }

    public string FamilyName => Alphabetic.FamilyName;

    public string GivenName => Alphabetic.GivenName;

    /// <summary>Parses one PN value (no backslash); groups are separated by '='.</summary>
    public static DicomPersonName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var groups = text.TrimEnd(' ', '\0').Split('=');
        DicomPersonNameGroup G(int i) => i < groups.Length ? DicomPersonNameGroup.Parse(groups[i]) : DicomPersonNameGroup.Empty;
        return new DicomPersonName(G(0), G(1), G(2));
    }

    /// <summary>The PN text with trailing empty groups dropped ("Yamada^Tarou=山田^太郎").</summary>
    public override string ToString()
    {
        string[] groups = [Alphabetic.ToString(), Ideographic.ToString(), Phonetic.ToString()];
        var last = groups.Length - 1;
        while (last > 0 && groups[last].Length == 0)
        {
            last--;
        }

        return string.Join('=', groups, 0, last + 1);
    }
}
