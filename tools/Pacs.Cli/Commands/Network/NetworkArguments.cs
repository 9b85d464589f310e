using Pacs.Dicom.Network.Client;

namespace Pacs.Cli.Commands.Network;

/// <summary>The options every SCU command shares: `[--aet CALLING] [--aec CALLED] HOST PORT`.</summary>
internal static class NetworkArguments
{
    public static readonly HashSet<string> ValueOptions = ["--aet", "--aec", "--max-pdu"];

    public const string Usage = """
          --aet AE       calling AE title (default PACS_SCU)
          --aec AE       called AE title (default ANY-SCP)
          --max-pdu N    maximum PDU length to receive (default 65536)
        """;

    /// <summary>Reads HOST and PORT from the first two positionals; the rest are returned.</summary>
    public static (DicomClientOptions Options, IReadOnlyList<string> Others) Parse(CliArguments parsed)
    {
        if (parsed.Positionals.Count < 2)
        {
            throw new CliUsageException("give the peer's HOST and PORT.");
        }

        if (!int.TryParse(parsed.Positionals[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CliUsageException($"'{parsed.Positionals[1]}' is not a TCP port.");
        }

        var options = new DicomClientOptions
        {
            Host = parsed.Positionals[0],
            Port = port,
            CallingAETitle = parsed.Value("--aet") ?? "PACS_SCU",
            CalledAETitle = parsed.Value("--aec") ?? "ANY-SCP",
            MaxPduLength = (uint)parsed.IntValue("--max-pdu", 65536),
        };
        return (options, parsed.Positionals.Skip(2).ToList());
    }
}
