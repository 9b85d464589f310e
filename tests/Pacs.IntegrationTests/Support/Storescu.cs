using Pacs.Dicom.IO;

namespace Pacs.IntegrationTests.Support;

/// <summary>DCMTK storescu with per-file outcomes read from its verbose output.</summary>
public static class Storescu
{
    /// <summary>
    /// storescu proposes only uncompressed syntaxes unless told otherwise, and it cannot decompress most codecs, so
    /// each compressed file is sent with the option that proposes its own transfer syntax.
    /// </summary>
    private static readonly Dictionary<string, string> ProposeOption = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2.2"] = "-xb",
        ["1.2.840.10008.1.2.1.99"] = "-xd",
        ["1.2.840.10008.1.2.4.50"] = "-xy",
        ["1.2.840.10008.1.2.4.51"] = "-xx",
        ["1.2.840.10008.1.2.4.70"] = "-xs",
        ["1.2.840.10008.1.2.4.80"] = "-xt",
        ["1.2.840.10008.1.2.4.81"] = "-xu",
        ["1.2.840.10008.1.2.4.90"] = "-xv",
        ["1.2.840.10008.1.2.4.91"] = "-xw",
        ["1.2.840.10008.1.2.5"] = "-xr",
    };

    /// <summary>Sends the files (one association per group of files sharing a proposal, not halting on failures); returns file → acknowledged with success.</summary>
    public static IReadOnlyDictionary<string, bool> Send(int port, IEnumerable<string> files, string callingAe = "STORESCU")
    {
        var outcome = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var group in files.GroupBy(ProposalFor))
        {
            string[] proposal = group.Key is null ? [] : [group.Key];
            var (_, stdout, stderr) = TestData.Run("storescu", ["-v", "-nh", .. proposal, "-aet", callingAe, "-aec", ServerProcess.AeTitle, "127.0.0.1", port.ToString(), .. group],
                timeout: TimeSpan.FromMinutes(4), check: false);
            ReadOutcome(stdout + "\n" + stderr, outcome);
        }

        return outcome;
    }

    private static string? ProposalFor(string file)
    {
        try
        {
            var meta = DicomFile.Open(file, new DicomReadOptions { StopBeforePixelData = true }).TransferSyntax.UidValue;
            return ProposeOption.GetValueOrDefault(meta);
        }
        catch (Pacs.Dicom.DicomException)
        {
            return null; // storescu will refuse it too; it still gets a line in the outcome
        }
    }

    private static void ReadOutcome(string output, Dictionary<string, bool> outcome)
    {
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("I: Sending file: ", StringComparison.Ordinal))
            {
                current = line["I: Sending file: ".Length..].Trim();
                outcome[current] = false;
            }
            else if (current is not null && line.StartsWith("I: Received Store Response", StringComparison.Ordinal))
            {
                outcome[current] = line.Contains("(Success", StringComparison.Ordinal);
                current = null;
            }
        }
    }
}
