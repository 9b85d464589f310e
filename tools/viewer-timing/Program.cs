using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Pacs.Testing;

// Usage: dotnet run --project tools/viewer-timing -c Release [-- --slices 300 --runs 3]
// Starts the real server on free ports with a /tmp data directory and the web build, generates a CT series with
// ../shared/bench/gen_ct.py (512x512), stores it with STOW-RS, then opens it --runs times in each viewer, each time in a
// new browser context (empty cache), and prints the times from navigation to the first image and to the whole series.
var slices = Option("--slices", 300);
var runs = Option("--runs", 3);
var root = Path.Combine("/tmp", "pacs-timing-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
if (!OperatingSystem.IsWindows())
{
    File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
}
var port = TestEnvironment.FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
await using var server = new ServerProcess(Path.Combine(root, "server"), new Dictionary<string, string>
{
    ["Urls"] = baseUrl,
    ["Pacs:Web:Viewer:Directory"] = Path.Combine(TestEnvironment.RepositoryRoot, "web", "build"),
});
Directory.CreateDirectory(server.DataDirectory);
await server.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };

var data = Path.Combine(root, "ct");
TestEnvironment.Run("/usr/bin/python3", [Path.Combine(TestEnvironment.SharedDirectory, "bench", "gen_ct.py"), "--out", data, "--studies", "1", "--series", "1",
    "--instances", slices.ToString(CultureInfo.InvariantCulture), "--seed", "79", "--uid-root", "1.2.826.0.1.3680043.10.79", "--quiet"]);
var files = Directory.EnumerateFiles(data, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
const string study = "1.2.826.0.1.3680043.10.79.1.79.1";
var stow = Stopwatch.StartNew();
foreach (var chunk in files.Chunk(50))
{
    using var body = new MultipartContent("related", "timing-" + Guid.NewGuid().ToString("N"));
    body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
    foreach (var file in chunk)
    {
        var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        body.Add(part);
    }

    using var response = await http.PostAsync("/dicomweb/studies", body);
    response.EnsureSuccessStatusCode();
}

Console.WriteLine($"stored {files.Count} slices of 512x512 ({files.Sum(f => new FileInfo(f).Length) / 1048576.0:F0} MB) in {stow.Elapsed.TotalSeconds:F1} s");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

var rows = new List<(string Viewer, int Run, double FirstImage, double Loaded, int Frames)>();
for (var run = 1; run <= runs; run++)
{
    rows.Add(await OhifAsync(run));
    rows.Add(await PhoneAsync(run));
}

Console.WriteLine();
Console.WriteLine($"| viewer | run | first image (s) | whole series loaded (s) | frames fetched |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
foreach (var r in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Viewer} | {r.Run} | {r.FirstImage:F2} | {r.Loaded:F2} | {r.Frames}/{slices} |"));
}

foreach (var viewer in rows.Select(r => r.Viewer).Distinct())
{
    var of = rows.Where(r => r.Viewer == viewer).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {viewer} | median | {Median(of.Select(r => r.FirstImage)):F2} | {Median(of.Select(r => r.Loaded)):F2} | |"));
}

try
{
    Directory.Delete(root, recursive: true);
}
catch (IOException)
{
}

return 0;

// OHIF: first image = the viewport canvas shows varying pixels; whole series = a frame of every slice fetched.
async Task<(string, int, double, double, int)> OhifAsync(int run)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
    var page = await context.NewPageAsync();
    var frames = new ConcurrentDictionary<string, double>();
    var clock = Stopwatch.StartNew();
    page.RequestFinished += (_, r) =>
    {
        var at = r.Url.IndexOf("/instances/", StringComparison.Ordinal);
        if (at > 0 && r.Url.Contains("/frames/", StringComparison.Ordinal))
        {
            frames.TryAdd(r.Url[at..r.Url.IndexOf("/frames/", StringComparison.Ordinal)], clock.Elapsed.TotalSeconds);
        }
    };
    await page.GotoAsync($"{baseUrl}/ohif/viewer?StudyInstanceUIDs={study}");
    double first = double.NaN;
    while (clock.Elapsed < TimeSpan.FromSeconds(120))
    {
        var distinct = await page.EvaluateAsync<int>("""
            () => {
              const c = document.querySelector('canvas.cornerstone-canvas');
              if (!c || !c.width) return 0;
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              const s = new Set();
              for (let i = 0; i < d.length; i += 4 * 97) s.add(d[i]);
              return s.size;
            }
            """);
        if (distinct > 16)
        {
            first = clock.Elapsed.TotalSeconds;
            break;
        }

        await Task.Delay(25);
    }

    while (frames.Count < slices && clock.Elapsed < TimeSpan.FromSeconds(180))
    {
        await Task.Delay(100);
    }

    var loaded = frames.Count >= slices ? frames.Values.Max() : double.NaN;
    return ("OHIF 3.13.2", run, first, loaded, frames.Count);
}

// Phone viewer: its own performance marks, relative to the navigation's time origin.
async Task<(string, int, double, double, int)> PhoneAsync(int run)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        HasTouch = true,
        IsMobile = true,
    });
    var page = await context.NewPageAsync();
    await page.GotoAsync($"{baseUrl}/view/?StudyInstanceUID={study}");
    await page.WaitForFunctionAsync("() => performance.getEntriesByName('pacs:series-loaded').length > 0", null, new PageWaitForFunctionOptions { Timeout = 180_000, PollingInterval = 100 });
    var marks = await page.EvaluateAsync<double[]>("() => [performance.getEntriesByName('pacs:first-image')[0].startTime, performance.getEntriesByName('pacs:series-loaded')[0].startTime, Number(document.body.dataset.loaded || 0)]");
    return ("phone viewer", run, marks[0] / 1000, marks[1] / 1000, (int)marks[2]);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
