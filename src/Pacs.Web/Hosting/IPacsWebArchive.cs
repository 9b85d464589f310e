using Pacs.Archive.Index;
using Pacs.Archive.Ingest;
using Pacs.Archive.Query;
using Pacs.Archive.Retrieve;
using Pacs.Archive.Storage;

namespace Pacs.Web.Hosting;

/// <summary>
/// The archive as the HTTP services see it. The host supplies it (its archive runtime starts these parts before the
/// web server takes requests); the members may throw while the archive is not started.
/// </summary>
public interface IPacsWebArchive
{
    IndexStore Index { get; }

    IBlobStore Blobs { get; }

    IngestPipeline Ingest { get; }

    /// <summary>The query model shared with C-FIND (QIDO-RS).</summary>
    QueryService Query { get; }

    /// <summary>The instance selection shared with C-MOVE/C-GET (study and series WADO-RS).</summary>
    RetrieveService Retrieve { get; }

    /// <summary>Where request parts are spooled before ingest; the same directory the SCP uses.</summary>
    string SpoolDirectory { get; }
}
