using Pacs.Dicom;

namespace Pacs.Cli;

/// <summary>Dispatches `pacs COMMAND …`, prints help, and turns usage errors and Ctrl+C into exit codes.</summary>
internal static class CliHost
{
    public static async Task<int> RunAsync(IReadOnlyList<ICliCommand> commands, string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(commands);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "--version")
        {
            Console.WriteLine($"pacs {typeof(CliHost).Assembly.GetName().Version}");
            return 0;
        }

        var command = commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command is null)
        {
            Console.Error.WriteLine($"pacs: unknown command '{args[0]}'. Try 'pacs --help'.");
            return 2;
        }

        var rest = args.Skip(1).ToArray();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            Console.WriteLine(command.Usage);
            return 0;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        try
        {
            return await command.RunAsync(rest, cts.Token).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine($"pacs {command.Name}: {ex.Message}");
            Console.Error.WriteLine(command.Usage);
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine($"pacs {command.Name}: cancelled.");
            return 130;
        }
        catch (DicomException ex)
        {
            Console.Error.WriteLine($"pacs {command.Name}: {ex.Message}");
            return 1;
        }
    }

    private static void PrintHelp(IReadOnlyList<ICliCommand> commands)
    {
        Console.WriteLine("pacs — the Pacs DICOM toolkit and archive command line");
        Console.WriteLine();
        Console.WriteLine("Usage: pacs COMMAND [options]   (pacs COMMAND --help for details)");
        Console.WriteLine();
        var width = commands.Max(c => c.Name.Length) + 2;
        foreach (var c in commands)
        {
            Console.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
        }
    }
}
