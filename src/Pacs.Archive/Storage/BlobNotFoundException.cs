namespace Pacs.Archive.Storage;

public sealed class BlobNotFoundException : Exception
{
    public BlobNotFoundException()
    {
    }

    public BlobNotFoundException(string message)
        : base(message)
    {
    }

    public BlobNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
