using Npgsql;
using Pacs.Archive.Embedded;

namespace Pacs.Archive.Tests.Embedded;

[Collection(ArchiveServicesCollection.Name)]
public sealed class EmbeddedPostgresTests(ArchiveServicesFixture services)
{
    [Fact]
    public async Task Initdb_start_connect_stop_and_a_restart_reuses_the_cluster()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = Path.Combine(services.TempRoot, "embedded"), Port = TestData.FreePort() };
        await using (var postgres = new EmbeddedPostgres(options))
        {
            await postgres.StartAsync();
            Assert.True(postgres.Initialized);
            Assert.True(File.Exists(Path.Combine(options.DataDirectory, "PG_VERSION")));
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            await using (var extensions = new NpgsqlCommand("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')", connection))
            {
                Assert.Equal("pg_trgm,unaccent", await extensions.ExecuteScalarAsync());
            }

            await using (var create = new NpgsqlCommand("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives a restart')", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await connection.CloseAsync();
            await postgres.StopAsync();
            await using var refused = new NpgsqlConnection(postgres.ConnectionString);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
        }

        await using (var again = new EmbeddedPostgres(options))
        {
            await again.StartAsync();
            Assert.False(again.Initialized);
            await using var connection = new NpgsqlConnection(again.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT v FROM kept", connection);
            Assert.Equal("survives a restart", await read.ExecuteScalarAsync());
        }

        // Disposing stopped it: nothing answers on the port any more.
        await using var after = new NpgsqlConnection(new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = options.Port, Username = "pacs", Password = "x", Timeout = 3 }.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => after.OpenAsync());
    }
}
