namespace Pacs.Dicom.Text;

/// <summary>How a graphic character set is coded in ISO 2022 (PS3.3 Table C.12-3 and C.12-4).</summary>
internal enum GraphicSetKind
{
    /// <summary>A 94-character single-byte set in G0 (bytes 0x21–0x7E): ASCII, or JIS X 0201 romaji.</summary>
    SingleByteG0,

    /// <summary>A single-byte set in G1 (bytes 0xA0–0xFF): ISO 8859 upper halves, JIS X 0201 katakana, TIS 620.</summary>
    SingleByteG1,

    /// <summary>A 94×94 two-byte set invoked into G0, coded with GL bytes 0x21–0x7E: JIS X 0208, JIS X 0212.</summary>
    MultiByteG0,

    /// <summary>A 94×94 two-byte set invoked into G1, coded with GR bytes 0xA1–0xFE: KS X 1001, GB 2312.</summary>
    MultiByteG1,
}
