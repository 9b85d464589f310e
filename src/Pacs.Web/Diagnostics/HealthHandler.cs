using Microsoft.AspNetCore.Http;
using Pacs.Web.Hosting;

namespace Pacs.Web.Diagnostics;

/// <summary>
/// Liveness (the process answers) and readiness (the index database answers a query and the blob store answers a
/// lookup), for load balancers and orchestrators.
/// </summary>
public sealed class HealthHandler(IPacsWebArchive archive)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IResult Live() => Results.Ok(new { status = "live" });

    public async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var database = await CheckAsync(async ct =>
        {
            await using var command = archive.Index.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        var storage = await CheckAsync(async ct => await archive.Blobs.ExistsAsync("health/probe", ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var ready = database is null && storage is null;
        var body = new
        {
            status = ready ? "ready" : "unavailable",
            database = database ?? "ok",
            storage = storage ?? "ok",
        };
        return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string?> CheckAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
