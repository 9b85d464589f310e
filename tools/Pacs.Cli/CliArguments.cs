namespace Pacs.Cli;

/// <summary>
/// Parsed command-line words: `--name value` / `--name=value` options, bare `--flag`s, repeatable
/// options (e.g. `-k Key=Value -k …`) and positional arguments, in the order given.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CliArguments(List<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Options that take a value; everything else starting with '-' is a flag.</summary>
    public static CliArguments Parse(IReadOnlyList<string> words, IReadOnlySet<string> valueOptions)
    {
        var positionals = new List<string>();
        var result = new CliArguments(positionals);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word == "--")
            {
                positionals.AddRange(words.Skip(i + 1));
                break;
            }

            if (word.Length > 1 && word[0] == '-' && !IsNumber(word))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 && word.StartsWith("--", StringComparison.Ordinal) ? word[..eq] : word;
                if (valueOptions.Contains(name))
                {
                    string value;
                    if (eq > 0 && name.Length == eq)
                    {
                        value = word[(eq + 1)..];
                    }
                    else if (i + 1 < words.Count)
                    {
                        value = words[++i];
                    }
                    else
                    {
                        throw new CliUsageException($"{name} needs a value.");
                    }

                    if (!result._options.TryGetValue(name, out var list))
                    {
                        result._options[name] = list = [];
                    }

                    list.Add(value);
                }
                else
                {
                    result._flags.Add(word);
                }
            }
            else
            {
                positionals.Add(word);
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Value(string option) => _options.TryGetValue(option, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var list) ? list : [];

    public int IntValue(string option, int fallback)
    {
        var text = Value(option);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"{option} expects a whole number, not '{text}'.");
    }

    public IEnumerable<string> UnknownFlags(IReadOnlySet<string> knownFlags) => _flags.Where(f => !knownFlags.Contains(f));

    private static bool IsNumber(string word) => double.TryParse(word, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}

/// <summary>A mistake in how the command was called; printed with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
