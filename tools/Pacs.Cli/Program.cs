using Pacs.Cli;
using Pacs.Cli.Commands.Files;

ICliCommand[] commands =
[
    new DumpCommand(),
    new JsonCommand(),
    new RoundtripCommand(),
];

return await CliHost.RunAsync(commands, args);
