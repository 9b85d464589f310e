using Pacs.Dicom;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Dimse;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs move -aem DEST [-P|-S] -k … HOST PORT`: C-MOVE to another AE, with the SCP's progress.</summary>
internal sealed class MoveCommand : ICliCommand
{
    private static readonly HashSet<string> ValueOptions = ["-aem", .. QueryArguments.ValueOptions];

    public string Name => "move";

    public string Summary => "retrieve instances to an AE with C-MOVE";

    public string Usage => "Usage: pacs move -aem DEST [-P|-S] [-L LEVEL] -k KEY[=VALUE]... [--aet AE] [--aec AE] HOST PORT\n\n" +
        "  -aem AE        move destination AE title (known to the SCP)\n" + QueryArguments.Usage + NetworkArguments.Usage +
        "\n  Prints the sub-operation counters as they come and the final status; exit code 1 unless it is success.";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ValueOptions);
        var (options, rest) = NetworkArguments.Parse(parsed);
        var destination = parsed.Value("-aem") ?? throw new CliUsageException("give the move destination with -aem.");
        if (rest.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{rest[0]}'.");
        }

        try
        {
            var progress = new Progress<DicomRetrieveProgress>(p => Console.WriteLine(RetrieveReport.Counters(p.Status, p.Remaining, p.Completed, p.Failed, p.Warning)));
            var result = await new DicomClient(options).MoveAsync(destination, QueryArguments.Identifier(parsed), QueryArguments.SopClass(parsed, "MOVE"),
                progress, cancellationToken).ConfigureAwait(false);
            return RetrieveReport.Final("C-MOVE", result);
        }
        catch (DicomException e)
        {
            await Console.Error.WriteLineAsync($"C-MOVE failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}

/// <summary>How move and get print counters and the outcome.</summary>
internal static class RetrieveReport
{
    public static string Counters(DicomStatus status, int? remaining, int completed, int failed, int warning) =>
        $"{status}: remaining {remaining?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, completed {completed}, failed {failed}, warning {warning}";

    public static int Final(string service, DicomRetrieveResult result)
    {
        Console.WriteLine($"{service} final " + Counters(result.Status, result.Remaining, result.Completed, result.Failed, result.Warning)
            + (result.ErrorComment is { } c ? $" ({c})" : string.Empty));
        foreach (var uid in result.FailedSopInstanceUids)
        {
            Console.WriteLine("  failed: " + uid);
        }

        return result.Status.IsSuccess ? 0 : 1;
    }
}
