using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Pacs.ViewerTests;

/// <summary>What a canvas shows: how many distinct grey levels a sample of its pixels has, and a checksum of them.</summary>
public sealed record CanvasPixels(int Width, int Height, int DistinctValues, double Mean, long Checksum)
{
    /// <summary>A rendered image, not a blank or single-colour canvas.</summary>
    public bool Varies => DistinctValues > 16;
}

/// <summary>
/// A Playwright page that records console errors, uncaught exceptions, HTTP error responses and requests that left the
/// server, so a test can assert the page ran cleanly, and that saves screenshots under <see cref="Screenshots.Directory"/>.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    /// <summary>Console errors a test may ignore, each with why (the only place such exceptions are made).</summary>
    public static readonly (string Contains, string Reason)[] IgnoredConsoleErrors = [];

    /// <summary>Failed requests that are not failures of the server, each with why.</summary>
    public static readonly (string Failure, string Reason)[] IgnoredRequestFailures =
    [
        ("net::ERR_ABORTED", "the page cancelled the request itself: a new search supersedes the one in flight, leaving the page ends its pending loads; the server's failures show as a 4xx/5xx status or another net:: error"),
    ];

    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _httpErrors = new();
    private readonly ConcurrentQueue<string> _external = new();
    private readonly ConcurrentQueue<string> _responses = new();

    private BrowserPage(IBrowserContext context, IPage page, string baseUrl)
    {
        Context = context;
        Page = page;
        BaseUrl = baseUrl;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string BaseUrl { get; }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public IReadOnlyCollection<string> HttpErrors => _httpErrors;

    /// <summary>Requests to anything but this server (an air-gapped hospital network has no Internet).</summary>
    public IReadOnlyCollection<string> ExternalRequests => _external;

    /// <summary>Every response URL, in order.</summary>
    public IReadOnlyCollection<string> Responses => _responses;

    public static async Task<BrowserPage> OpenAsync(IBrowserContext context, string baseUrl)
    {
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page, baseUrl);
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !IgnoredConsoleErrors.Any(i => m.Text.Contains(i.Contains, StringComparison.Ordinal)))
            {
                result._consoleErrors.Enqueue(m.Text);
            }
        };
        page.PageError += (_, e) => result._consoleErrors.Enqueue("uncaught: " + e);
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(baseUrl, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                result._external.Enqueue(r.Url);
            }
        };
        page.Response += (_, r) =>
        {
            result._responses.Enqueue(r.Url);
            if (r.Status >= 400)
            {
                result._httpErrors.Enqueue($"{r.Status} {r.Request.Method} {r.Url}");
            }
        };
        page.RequestFailed += (_, r) =>
        {
            if (!IgnoredRequestFailures.Any(i => r.Failure == i.Failure))
            {
                result._httpErrors.Enqueue($"failed {r.Method} {r.Url}: {r.Failure}");
            }
        };
        return result;
    }

    /// <summary>No console errors, no 4xx/5xx or failed requests, nothing fetched from elsewhere.</summary>
    public void AssertClean()
    {
        Assert.True(_consoleErrors.IsEmpty, "console errors:\n" + string.Join('\n', _consoleErrors));
        Assert.True(_httpErrors.IsEmpty, "HTTP errors:\n" + string.Join('\n', _httpErrors));
        Assert.True(_external.IsEmpty, "requests that left the server:\n" + string.Join('\n', _external));
    }

    /// <summary>Samples the pixels of the first canvas under <paramref name="selector"/> (a 2D canvas, as Cornerstone3D shows).</summary>
    public async Task<CanvasPixels> CanvasAsync(string selector)
    {
        var values = await Page.EvalOnSelectorAsync<double[]>(selector, """
            root => {
              const canvas = root instanceof HTMLCanvasElement ? root : root.querySelector('canvas');
              if (!canvas || canvas.width === 0 || canvas.height === 0) return [0, 0, 0, 0, 0];
              const ctx = canvas.getContext('2d', { willReadFrequently: true });
              if (!ctx) return [canvas.width, canvas.height, 0, 0, 0];
              const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
              const seen = new Set();
              let sum = 0, n = 0, checksum = 0;
              const step = Math.max(1, Math.floor(data.length / 4 / 40000));
              for (let p = 0; p < data.length / 4; p += step) {
                const grey = data[p * 4];
                seen.add(grey);
                sum += grey; n++;
                checksum = (checksum * 31 + grey + data[p * 4 + 1] * 7) % 2147483647;
              }
              return [canvas.width, canvas.height, seen.size, n ? sum / n : 0, checksum];
            }
            """);
        return new CanvasPixels((int)values[0], (int)values[1], (int)values[2], values[3], (long)values[4]);
    }

    /// <summary>Waits until the canvas shows an image (pixels vary), up to <paramref name="timeout"/>.</summary>
    public async Task<CanvasPixels> WaitForImageAsync(string selector, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CanvasPixels last;
        do
        {
            last = await CanvasAsync(selector);
            if (last.Varies)
            {
                return last;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }

    /// <summary>Waits until the canvas checksum differs from <paramref name="before"/>, up to <paramref name="timeout"/>.</summary>
    public async Task<CanvasPixels> WaitForChangeAsync(string selector, CanvasPixels before, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CanvasPixels last;
        do
        {
            last = await CanvasAsync(selector);
            if (last.Checksum != before.Checksum && last.Varies)
            {
                return last;
            }

            await Task.Delay(150);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor(name), FullPage = false });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>Screenshots of each run go to artifacts/test-results/screenshots/ under the repository root (scripts/test.sh clears it).</summary>
public static class Screenshots
{
    public static string Directory => Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "test-results", "screenshots");

    public static string PathFor(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, name + ".png");
    }
}
