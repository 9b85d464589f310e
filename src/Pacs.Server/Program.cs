using Pacs.Server.Configuration;
using Pacs.Server.Dicom;
using Pacs.Server.Hosting;
using Pacs.Web;

// Configuration, lowest precedence first: appsettings.json beside the binary (the embedded default),
// config/appsettings.json in the working directory, the file named by --config, environment variables
// (Pacs__Dicom__Port=…), then the command line (--Pacs:Dicom:Port=…).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.Sources.Clear();
builder.Configuration
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "config", "appsettings.json"), optional: true);
if (ConfigFileArgument(args) is { } extra)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(extra), optional: false);
}

builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);

builder.Services.Configure<PacsOptions>(builder.Configuration.GetSection(PacsOptions.Section));
builder.Logging.ClearProviders();
if (string.Equals(builder.Configuration["Pacs:LogFormat"], "Json", StringComparison.OrdinalIgnoreCase))
{
    builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
}
else
{
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
    });
}

// Registration order is start order, and stop runs in reverse: the SCP drains before the archive closes.
builder.Services.AddSingleton<CodePreparationService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CodePreparationService>());
builder.Services.AddSingleton<ArchiveRuntime>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ArchiveRuntime>());
builder.Services.AddSingleton<DicomMetrics>();
builder.Services.AddSingleton<ArchiveStoreHandler>();
builder.Services.AddSingleton<ArchiveQueryRetrieveHandler>();
builder.Services.AddSingleton<DicomScpService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DicomScpService>());
builder.Services.AddHostedService<ArchiveSweepService>();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
builder.Services.AddPacsWeb<PacsWebArchive>(builder.Configuration);

var app = builder.Build();
app.MapPacsWeb();
await app.RunAsync().ConfigureAwait(false);
return 0;

static string? ConfigFileArgument(string[] args)
{
    var i = Array.IndexOf(args, "--config");
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
