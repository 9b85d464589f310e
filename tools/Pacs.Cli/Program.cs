using Pacs.Cli;
using Pacs.Cli.Commands.Files;
using Pacs.Cli.Commands.Imaging;
using Pacs.Cli.Commands.Network;

ICliCommand[] commands =
[
    new DumpCommand(),
    new JsonCommand(),
    new RoundtripCommand(),
    new RenderCommand(),
    new TranscodeCommand(),
    new EchoCommand(), new StoreCommand(), new ScpCommand(), new FindCommand(), new MoveCommand(), new GetCommand(),
    new Pacs.Cli.Commands.Archive.ImportCommand(), new Pacs.Cli.Commands.Archive.VerifyCommand(),
];

return await CliHost.RunAsync(commands, args);
