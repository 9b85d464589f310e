namespace Pacs.Dicom.Text;

/// <summary>
/// Which delimiters reset the ISO 2022 code-extension state inside a value (PS3.5 6.1.2.5.3).
/// </summary>
public enum DicomTextKind
{
    /// <summary>SH, LO, ST, LT, UC, UT: the state resets at <c>\</c> and at CR, LF, FF and TAB.</summary>
    Text,

    /// <summary>PN: additionally resets at the component (<c>^</c>) and group (<c>=</c>) delimiters.</summary>
    PersonName,
}
