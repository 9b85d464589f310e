namespace Pacs.Dicom;

/// <summary>
/// The toolkit's one exception type: every failure caused by bad input surfaces as this (or a subclass),
/// so callers can tell "the data is wrong" from "the program is wrong".
/// </summary>
public class DicomException : Exception
{
    public DicomException()
    {
    }

    public DicomException(string message)
        : base(message)
    {
    }

    public DicomException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
