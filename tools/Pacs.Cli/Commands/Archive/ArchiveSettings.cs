using System.Globalization;
using System.Text.Json;

namespace Pacs.Cli.Commands.Archive;

/// <summary>
/// The server's settings that say where the archive is, read the way the server reads them (lowest precedence first):
/// <c>config/appsettings.json</c> in the working directory, the file given with <c>--config</c>, environment variables
/// (<c>Pacs__Database__ConnectionString</c>…), then <c>--data DIR</c> for <c>Pacs:DataDirectory</c>.
/// </summary>
internal sealed class ArchiveSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string DataDirectory => Path.GetFullPath(Get("Pacs:DataDirectory") ?? "./data");

    public string? ConnectionString => Get("Pacs:Database:ConnectionString") is { Length: > 0 } s ? s : null;

    public int EmbeddedPort => int.Parse(Get("Pacs:Database:EmbeddedPort") ?? "5433", NumberStyles.None, CultureInfo.InvariantCulture);

    public string StorageKind => Get("Pacs:Storage:Kind") ?? "FileSystem";

    public Pacs.Archive.Index.DuplicatePolicy DuplicatePolicy =>
        Enum.TryParse<Pacs.Archive.Index.DuplicatePolicy>(Get("Pacs:Ingest:DuplicatePolicy"), ignoreCase: true, out var policy) ? policy : Pacs.Archive.Index.DuplicatePolicy.Replace;

    public string IndexDirectory => Path.Combine(DataDirectory, "index");

    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");

    public string? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public static ArchiveSettings Load(string? configFile, string? dataDirectory)
    {
        var settings = new ArchiveSettings();
        var local = Path.Combine(Directory.GetCurrentDirectory(), "config", "appsettings.json");
        if (File.Exists(local))
        {
            settings.AddJson(local);
        }

        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CliUsageException($"no configuration file {configFile}.");
            }

            settings.AddJson(configFile);
        }

        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string name && name.StartsWith("Pacs__", StringComparison.OrdinalIgnoreCase) && e.Value is string value)
            {
                settings._values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        if (dataDirectory is not null)
        {
            settings._values["Pacs:DataDirectory"] = dataDirectory;
        }

        return settings;
    }

    private void AddJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Flatten(document.RootElement, prefix: null);
    }

    private void Flatten(JsonElement element, string? prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    Flatten(p.Value, prefix is null ? p.Name : prefix + ":" + p.Name);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, prefix + ":" + (i++).ToString(CultureInfo.InvariantCulture));
                }

                break;
            case JsonValueKind.String:
                _values[prefix!] = element.GetString()!;
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                break;
            default:
                _values[prefix!] = element.GetRawText();
                break;
        }
    }
}
