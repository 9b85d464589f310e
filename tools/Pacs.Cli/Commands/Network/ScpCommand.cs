using System.Net;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs scp --port N --out DIR`: a plain storage SCP writing what it receives as Part 10 files (for testing).</summary>
internal sealed class ScpCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--port", "--out", "--aet", "--max-associations"];

    public string Name => "scp";

    public string Summary => "run a storage SCP that writes received instances to a directory";

    public string Usage => """
        Usage: pacs scp --port N [--out DIR] [--aet AE] [--max-associations N] [--any-called-ae]

          Accepts C-ECHO and C-STORE of every storage SOP class in every known transfer syntax. Each instance is
          written as DIR/<SOP Instance UID>.dcm exactly as received (File Meta Information added); without --out
          received data is discarded (for benchmarks). Runs until Ctrl+C.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        var outDir = parsed.Value("--out");
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
        }

        var options = new DicomServerOptions
        {
            AETitle = parsed.Value("--aet") ?? "PACS",
            Port = parsed.IntValue("--port", 11112),
            BindAddress = IPAddress.Any,
            CheckCalledAETitle = !parsed.Has("--any-called-ae"),
            MaxAssociations = parsed.IntValue("--max-associations", 64),
        };
        await using var server = new DicomServer(options, new DicomServiceHandlers { Store = new DirectoryStoreHandler(outDir) });
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"{options.AETitle} listening on port {server.Port}; Ctrl+C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await server.StopAsync(grace.Token).ConfigureAwait(false);
        }

        return 0;
    }

    private sealed class DirectoryStoreHandler(string? directory) : IDicomStoreHandler
    {
        public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            if (directory is null)
            {
                await dataSet.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                return DicomStatus.Success;
            }

            if (!Pacs.Dicom.DicomUid.IsValid(request.SopInstanceUid))
            {
                // The UID names the file: anything but digits and dots could escape the output directory.
                return DicomStatus.CannotUnderstand;
            }

            var path = Path.Combine(directory, request.SopInstanceUid + ".dcm");
            var file = new FileStream(path + ".part", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await Part10Header.WriteAsync(file, request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.UidValue,
                    request.Association.CallingAETitle, cancellationToken).ConfigureAwait(false);
                await dataSet.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(path + ".part", path, overwrite: true);
            return DicomStatus.Success;
        }
    }
}
