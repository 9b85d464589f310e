using System.Diagnostics.Metrics;
using Pacs.Archive.Ingest;
using Pacs.Dicom.Network.Server;

namespace Pacs.Server.Hosting;

/// <summary>
/// The DICOM side's instruments (meter "Pacs.Dicom", exported at /metrics with the HTTP ones): associations accepted,
/// rejected and open, and C-STORE instances by ingest outcome.
/// </summary>
public sealed class DicomMetrics
{
    public const string MeterName = "Pacs.Dicom";
    private readonly Counter<long> _stored;
    private DicomServer? _server;

    public DicomMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("pacs.dicom.store.instances", "{instance}", "C-STORE requests by ingest outcome.");
        meter.CreateObservableGauge("pacs.dicom.associations.active", () => _server?.ActiveAssociations ?? 0, "{association}", "Associations currently established.");
        meter.CreateObservableCounter("pacs.dicom.associations", ObserveAssociations, "{association}", "Association requests since start, by outcome.");
    }

    /// <summary>The SCP whose associations are reported (set once it is created).</summary>
    public void Observe(DicomServer server) => Volatile.Write(ref _server, server);

    public void StoreCompleted(IngestStatus status) =>
        _stored.Add(1, new KeyValuePair<string, object?>("status", status switch
        {
            IngestStatus.Stored => "stored",
            IngestStatus.Replaced => "replaced",
            IngestStatus.AlreadyStored => "already_stored",
            IngestStatus.KeptExisting => "kept_existing",
            IngestStatus.RejectedDuplicate => "rejected_duplicate",
            IngestStatus.CannotUnderstand => "cannot_understand",
            IngestStatus.InvalidDataset => "invalid",
            IngestStatus.StorageUnavailable => "storage_unavailable",
            IngestStatus.IndexUnavailable => "index_unavailable",
            _ => "other",
        }));

    private IEnumerable<Measurement<long>> ObserveAssociations()
    {
        var server = Volatile.Read(ref _server);
        return
        [
            new Measurement<long>(server?.AssociationsAccepted ?? 0, new KeyValuePair<string, object?>("outcome", "accepted")),
            new Measurement<long>(server?.AssociationsRejected ?? 0, new KeyValuePair<string, object?>("outcome", "rejected")),
        ];
    }
}
