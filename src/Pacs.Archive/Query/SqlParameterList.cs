using Npgsql;
using NpgsqlTypes;

namespace Pacs.Archive.Query;

/// <summary>The parameters of one statement: values only ever reach SQL through these, under generated names.</summary>
internal sealed class SqlParameterList
{
    private readonly List<NpgsqlParameter> _parameters = [];

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    /// <summary>Adds a value and returns its placeholder (<c>@p0</c>, <c>@p1</c>…).</summary>
    public string Add(object value, NpgsqlDbType type)
    {
        var name = "p" + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }

    public void CopyTo(NpgsqlCommand command)
    {
        foreach (var p in _parameters)
        {
            command.Parameters.Add(p.Clone());
        }
    }
}
