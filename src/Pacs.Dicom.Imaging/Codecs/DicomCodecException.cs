namespace Pacs.Dicom.Imaging.Codecs;

/// <summary>A frame could not be decoded or encoded: corrupt data, or a layout the codec does not carry.</summary>
public class DicomCodecException : DicomException
{
    public DicomCodecException()
    {
    }

    public DicomCodecException(string message)
        : base(message)
    {
    }

    public DicomCodecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
