namespace Pacs.Cli;

/// <summary>One `pacs` sub-command. Returns the process exit code (0 ok, 1 some inputs failed, 2 usage error).</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for `pacs --help`.</summary>
    string Summary { get; }

    /// <summary>The full usage text for `pacs NAME --help`.</summary>
    string Usage { get; }

    /// <summary>Runs with the words after the command name; parse them with <see cref="CliArguments.Parse"/>.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
