using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Query;
using Pacs.Archive.Retrieve;
using Pacs.Archive.Storage;
using Pacs.Web.Hosting;

namespace Pacs.Server.Hosting;

/// <summary>The archive runtime as the HTTP services see it: the same index, blobs, pipeline and spool as the SCP.</summary>
public sealed class PacsWebArchive(ArchiveRuntime runtime) : IPacsWebArchive
{
    public IndexStore Index => runtime.Index;

    public IBlobStore Blobs => runtime.Blobs;

    public IngestPipeline Ingest => runtime.Ingest;

    public QueryService Query => runtime.Query;

    public RetrieveService Retrieve => runtime.Retrieve;

    public string SpoolDirectory => runtime.SpoolDirectory;
}
