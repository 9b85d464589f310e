using System.Net;
using Microsoft.Extensions.Options;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Server;
using Pacs.Server.Configuration;
using Pacs.Server.Dicom;

namespace Pacs.Server.Hosting;

/// <summary>Runs the DICOM SCP with the archive's handlers; stopping it lets in-flight stores finish.</summary>
public sealed partial class DicomScpService(
    IOptions<PacsOptions> options,
    ArchiveStoreHandler storeHandler,
    ArchiveQueryRetrieveHandler queryRetrieveHandler,
    DicomMetrics metrics,
    CodePreparationService codePreparation,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<DicomScpService>();
    private DicomServer? _server;

    /// <summary>The port actually listened on (differs from configuration when 0 was asked for).</summary>
    public int Port => _server?.Port ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Associations are accepted once the code they run is compiled (it was compiled while the index started).
        await codePreparation.Prepared.WaitAsync(cancellationToken).ConfigureAwait(false);
        var dicom = options.Value.Dicom;
        var serverOptions = new DicomServerOptions
        {
            AETitle = dicom.AeTitle,
            Port = dicom.Port,
            BindAddress = IPAddress.Parse(dicom.BindAddress),
            CheckCalledAETitle = dicom.CheckCalledAeTitle,
            AllowedCallingAETitles = dicom.AllowedCallingAes.Count > 0 ? dicom.AllowedCallingAes.ToHashSet(StringComparer.Ordinal) : null,
            MaxAssociations = dicom.MaxAssociations,
            MaxPduLength = dicom.MaxPduLength,
            Timeouts = new DicomAssociationTimeouts { Idle = TimeSpan.FromSeconds(dicom.IdleTimeoutSeconds) },
            RetrievePendingInterval = TimeSpan.FromMilliseconds(Math.Max(0, dicom.RetrievePendingIntervalMs)),
            RemoteNodes = dicom.KnownAes.ToDictionary(a => a.AeTitle, a => new DicomRemoteNode(a.AeTitle, a.Host, a.Port), StringComparer.Ordinal),
        };
        var handlers = new DicomServiceHandlers
        {
            Store = storeHandler,
            Find = queryRetrieveHandler,
            Move = queryRetrieveHandler,
            Get = queryRetrieveHandler,
        };
        _server = new DicomServer(serverOptions, handlers, loggers.CreateLogger<DicomServer>());
        metrics.Observe(_server);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(dicom.AeTitle, dicom.BindAddress, _server.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM SCP {AETitle} listening on {Address}:{Port}")]
    private partial void LogListening(string aeTitle, string address, int port);
}
