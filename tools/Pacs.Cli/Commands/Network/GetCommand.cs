using Pacs.Dicom;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;
using Pacs.Dicom.Network.Server;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs get --out DIR [-P|-S] -k … HOST PORT`: C-GET, writing the instances received on the same association.</summary>
internal sealed class GetCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["--out", .. QueryArguments.ValueOptions];

    public string Name => "get";

    public string Summary => "retrieve instances on the same association with C-GET";

    public string Usage => "Usage: pacs get --out DIR [-P|-S] [-L LEVEL] -k KEY[=VALUE]... [--aet AE] [--aec AE] HOST PORT\n\n" +
        "  --out DIR      where received instances are written, as DIR/<SOP Instance UID>.dcm\n" + QueryArguments.Usage + NetworkArguments.Usage +
        "\n  Proposes the common storage SOP classes in explicit/implicit VR little endian with the SCP role.";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        var (options, rest) = NetworkArguments.Parse(parsed);
        var outDir = parsed.Value("--out") ?? throw new CliUsageException("give the output directory with --out.");
        if (rest.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{rest[0]}'.");
        }

        Directory.CreateDirectory(outDir);
        try
        {
            var progress = new Progress<DicomRetrieveProgress>(p => Console.WriteLine(RetrieveReport.Counters(p.Status, p.Remaining, p.Completed, p.Failed, p.Warning)));
            var result = await new DicomClient(options).GetAsync(QueryArguments.Identifier(parsed), new FileStoreHandler(outDir), QueryArguments.SopClass(parsed, "GET"),
                progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
            return RetrieveReport.Final("C-GET", result);
        }
        catch (DicomException e)
        {
            await Console.Error.WriteLineAsync($"C-GET failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Writes each C-STORE sub-operation as a Part 10 file, exactly as received.</summary>
    private sealed class FileStoreHandler(string directory) : IDicomStoreHandler
    {
        public async ValueTask<DicomStatus> OnStoreAsync(DicomStoreRequest request, Stream dataSet, CancellationToken cancellationToken)
        {
            if (!DicomUid.IsValid(request.SopInstanceUid))
            {
                // The UID names the file: anything but digits and dots could escape the output directory.
                return DicomStatus.CannotUnderstand;
            }

            var file = File.Create(Path.Combine(directory, request.SopInstanceUid + ".dcm"));
            await using (file.ConfigureAwait(false))
            {
                await Part10Header.WriteAsync(file, request.SopClassUid, request.SopInstanceUid, request.TransferSyntax.UidValue,
                    request.Association.CalledAETitle, cancellationToken).ConfigureAwait(false);
                await dataSet.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            return DicomStatus.Success;
        }
    }
}
