using System.Net;
using Pacs.Dicom.Network.Association;
using Pacs.Dicom.Network.Server;

namespace Pacs.Dicom.Network.Tests.Support;

/// <summary>Our SCP on a free loopback port with a recording store handler; disposed at the end of a test.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(DicomServer server, RecordingStoreHandler store, CapturingLogger<DicomServer> logger, string? directory)
    {
        Server = server;
        Store = store;
        Logger = logger;
        Directory = directory;
    }

    public const string AETitle = "PACS";

    public DicomServer Server { get; }

    public RecordingStoreHandler Store { get; }

    public CapturingLogger<DicomServer> Logger { get; }

    public string? Directory { get; }

    public int Port => Server.Port;

    public static async Task<ServerFixture> StartAsync(bool writeFiles = false, Func<DicomServerOptions, DicomServerOptions>? configure = null,
        Func<DicomServiceHandlers, DicomServiceHandlers>? handlers = null)
    {
        var directory = writeFiles ? TestData.NewTempDirectory() : null;
        var store = new RecordingStoreHandler(directory);
        var logger = new CapturingLogger<DicomServer>();
        var options = new DicomServerOptions
        {
            AETitle = AETitle,
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Timeouts = new DicomAssociationTimeouts { Artim = TimeSpan.FromSeconds(2), Idle = TimeSpan.FromSeconds(20) },
        };
        var registered = new DicomServiceHandlers { Store = store };
        var server = new DicomServer(configure?.Invoke(options) ?? options, handlers?.Invoke(registered) ?? registered, logger);
        await server.StartAsync();
        return new ServerFixture(server, store, logger, directory);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.StopAsync(stop.Token);
        await Server.DisposeAsync();
        if (Directory is not null)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
