namespace Pacs.Web.Viewer;

/// <summary>The "Pacs:Web:Viewer" section: the browser front end (study list, phone viewer, OHIF) that Pacs serves.</summary>
public sealed class ViewerOptions
{
    public const string Section = "Pacs:Web:Viewer";

    /// <summary>Serves the web UI, OHIF and their configuration; off leaves only the HTTP APIs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The folder scripts/build-web.sh writes (holding app/ and ohif/). Unset: web/build found by walking up from the
    /// server's binary, then from the working directory.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Where OHIF is served; the OHIF build is rebased onto this path by scripts/build-web.sh.</summary>
    public string OhifPath { get; set; } = "/ohif";

    /// <summary>
    /// Serves OHIF's slide microscopy viewer (dicom-microscopy-viewer/, kept only by
    /// <c>PACS_OHIF_MICROSCOPY=1 scripts/build-web.sh</c>); off answers 404 under it even if the files are there.
    /// </summary>
    public bool Microscopy { get; set; }
}
