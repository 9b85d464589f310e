using Pacs.Cli.Terminal;
using Pacs.Dicom;
using Pacs.Dicom.Network.Client;

namespace Pacs.Cli.Commands.Network;

/// <summary>`pacs store HOST PORT DIR|FILE...`: C-STORE of Part 10 files, many per association.</summary>
internal sealed class StoreCommand : ICliCommand
{
    public string Name => "store";

    public string Summary => "send DICOM files to a peer with C-STORE";

    public string Usage => "Usage: pacs store [--aet AE] [--aec AE] HOST PORT DIR|FILE...\n\n" + NetworkArguments.Usage + """

          Directories are searched recursively. Files are sent as stored (no transcoding), one presentation
          context per SOP class and transfer syntax. Prints each failure, then instances/s; exit code 1 if any failed.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (options, rest) = NetworkArguments.Parse(CliArguments.Parse(args, NetworkArguments.ValueOptions));
        if (rest.Count == 0)
        {
            throw new CliUsageException("name at least one file or directory to send.");
        }

        var files = rest.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<DicomStoreFileResult> results;
        using (var bar = new ProgressBar("store", files.Count))
        {
            try
            {
                results = await new DicomClient(options).StoreFilesAsync(files, new BarProgress(bar), cancellationToken).ConfigureAwait(false);
            }
            catch (DicomException e)
            {
                await Console.Error.WriteLineAsync($"C-STORE failed: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        foreach (var failure in results.Where(r => !r.Succeeded))
        {
            await Console.Error.WriteLineAsync($"{failure.Path}: {failure.Error ?? failure.Status.ToString()}").ConfigureAwait(false);
        }

        var stored = results.Count(r => r.Succeeded);
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        Console.WriteLine($"stored {stored} of {results.Count} instances in {seconds:F2} s: {stored / seconds:F1} instances/s");
        return stored == results.Count ? 0 : 1;
    }

    /// <summary>Turns the client's cumulative counts into progress bar steps, synchronously (no posting to a context).</summary>
    private sealed class BarProgress(ProgressBar bar) : IProgress<DicomStoreProgress>
    {
        private int _completed;
        private int _failed;
        private long _bytes;

        public void Report(DicomStoreProgress value)
        {
            for (; _completed < value.Completed; _completed++)
            {
                bar.Advance(succeeded: true, value.Bytes - _bytes);
                _bytes = value.Bytes;
            }

            for (; _failed < value.Failed; _failed++)
            {
                bar.Advance(succeeded: false);
            }
        }
    }
}
