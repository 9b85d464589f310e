using System.Diagnostics.Metrics;

namespace Pacs.Web.Diagnostics;

/// <summary>
/// The instruments of the HTTP services. Request counts and latencies come from ASP.NET Core's own
/// <c>http.server.request.duration</c>; these add what only this layer knows.
/// </summary>
public sealed class PacsWebMetrics
{
    public const string MeterName = "Pacs.Web";

    private readonly Counter<long> _stowInstances;
    private readonly Counter<long> _retrievedBytes;

    public PacsWebMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _stowInstances = meter.CreateCounter<long>("pacs.stow.instances", "{instance}", "Instances received by STOW-RS, by outcome.");
        _retrievedBytes = meter.CreateCounter<long>("pacs.wado.retrieved", "By", "Bytes of DICOM objects sent by WADO-RS and WADO-URI.");
    }

    public void StowInstance(string outcome) => _stowInstances.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Retrieved(long bytes) => _retrievedBytes.Add(bytes);
}
