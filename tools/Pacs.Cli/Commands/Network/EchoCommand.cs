using Pacs.Dicom;
using Pacs.Dicom.Network.Client;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs echo HOST PORT`: C-ECHO (verification) against a remote AE.</summary>
internal sealed class EchoCommand : ICliCommand
{
    public string Name => "echo";

    public string Summary => "verify a DICOM peer with C-ECHO";

    public string Usage => "Usage: pacs echo [--aet AE] [--aec AE] HOST PORT\n\n" + NetworkArguments.Usage +
        "\n  Prints the status and the round-trip time; exit code 1 when the peer refuses or answers a failure.";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (options, rest) = NetworkArguments.Parse(CliArguments.Parse(args, NetworkArguments.ValueOptions));
        if (rest.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{rest[0]}'.");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var status = await new DicomClient(options).EchoAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"C-ECHO {options.CalledAETitle}@{options.Host}:{options.Port}: {status} in {clock.Elapsed.TotalMilliseconds:F0} ms");
            return status.IsSuccess ? 0 : 1;
        }
        catch (DicomException e)
        {
            await Console.Error.WriteLineAsync($"C-ECHO failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
