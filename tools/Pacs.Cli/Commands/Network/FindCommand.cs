using Pacs.Dicom;
using Pacs.Dicom.Network.Client;
using Pacs.Dicom.Network.Server;
using Pacs.Dicom.Serialization;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs find [-P|-S] [-L LEVEL] -k Keyword=value… HOST PORT`: C-FIND, results printed as a DICOM JSON array.</summary>
internal sealed class FindCommand : ICliCommand
{
    public string Name => "find";

    public string Summary => "query a remote AE with C-FIND";

    public string Usage => "Usage: pacs find [-P|-S] [-L LEVEL] -k KEY[=VALUE]... [--aet AE] [--aec AE] HOST PORT\n\n" + QueryArguments.Usage + NetworkArguments.Usage +
        "\n  Prints the matches as a DICOM JSON array (PS3.18 F) and their count on stderr; exit code 1 on a failure status.";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, QueryArguments.ValueOptions);
        var (options, rest) = NetworkArguments.Parse(parsed);
        if (rest.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{rest[0]}'.");
        }

        var count = 0;
        var json = new DicomJsonOptions { Indented = true };
        try
        {
            Console.WriteLine("[");
            await foreach (var match in new DicomClient(options).FindAsync(QueryArguments.SopClass(parsed, "FIND"), QueryArguments.Identifier(parsed),
                cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine((count++ == 0 ? string.Empty : ",") + DicomJson.Serialize(match, json));
            }

            Console.WriteLine("]");
            await Console.Error.WriteLineAsync($"{count} match(es)").ConfigureAwait(false);
            return 0;
        }
        catch (DicomServiceException e)
        {
            Console.WriteLine("]");
            await Console.Error.WriteLineAsync($"C-FIND failed with status {e.Status}: {e.ErrorComment}").ConfigureAwait(false);
            return 1;
        }
        catch (DicomException e)
        {
            await Console.Error.WriteLineAsync($"C-FIND failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
