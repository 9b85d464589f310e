using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Pacs.Archive.Index;

/// <summary>
/// Applies the embedded migrations (<c>Index/Migrations/NNNN_name.sql</c>) that the database has not seen, in order, in
/// one transaction under an advisory lock, so several nodes starting together apply each migration exactly once.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Arbitrary constant identifying the Pacs schema lock among other advisory locks.</summary>
    private const long AdvisoryLockKey = 0x5041_4353_5343_4845; // "PACSSCHE"

    private const string ResourcePrefix = "Pacs.Archive.Index.Migrations.";

    /// <summary>Every migration shipped with this build, in version order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Brings the schema to <see cref="LatestVersion"/>; returns the versions applied now (empty when up to date).</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", AdvisoryLockKey)).ConfigureAwait(false);
                await ExecuteAsync(connection, """
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now())
                    """, cancellationToken).ConfigureAwait(false);

                int current;
                await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
                {
                    current = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                if (current > LatestVersion)
                {
                    throw new InvalidOperationException(
                        $"The index schema is at version {current}, newer than this build knows ({LatestVersion}); upgrade Pacs.");
                }

                var applied = new List<int>();
                foreach (var migration in Migrations.Where(m => m.Version > current))
                {
                    await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, "INSERT INTO schema_version (version, name) VALUES (@version, @name)", cancellationToken,
                        ("version", migration.Version), ("name", migration.Name)).ConfigureAwait(false);
                    applied.Add(migration.Version);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

                // New functions and types: make pooled connections forget cached plans and type mappings.
                if (applied.Count > 0)
                {
                    await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
                }

                return applied;
            }
        }
    }

    /// <summary>The version the database is at (0 when never migrated).</summary>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM schema_version) END");
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, fileName[(underscore + 1)..], ReadResource(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One schema migration: its version, name and SQL.</summary>
public sealed record Migration(int Version, string Name, string Sql);
