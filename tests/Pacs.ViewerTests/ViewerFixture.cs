using Microsoft.Playwright;

namespace Pacs.ViewerTests;

/// <summary>
/// The real server (a child process on free ports, data under /tmp, the web build of scripts/build-web.sh passed in
/// configuration), the test studies stored in it over STOW-RS, and one headless Chromium (Debian's /usr/bin/chromium,
/// driven by Playwright; nothing is downloaded).
/// </summary>
#pragma warning disable CA1001 // xunit ends a fixture's life with IAsyncLifetime.DisposeAsync, which disposes the server.
public sealed class ViewerFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _root = NewDirectory("pacs-vt");
    private ServerProcess? _server;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The CT series OHIF and the phone viewer open (Nguyễn^Văn Ánh).</summary>
    public TestStudy Ct { get; private set; } = null!;

    /// <summary>Two studies with Vietnamese names: Trần^Thị Hương and Nguyễn^Thị Mai.</summary>
    public IReadOnlyList<TestStudy> Vietnamese { get; private set; } = [];

    /// <summary>An uncompressed series and its JPEG lossless, JPEG-LS, RLE and JPEG 2000 copies (Lê^Hoàng Phúc).</summary>
    public TestStudy Compressed { get; private set; } = null!;

    public static string WebBuildDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "web", "build");

    public async Task InitializeAsync()
    {
        foreach (var required in new[] { Path.Combine(WebBuildDirectory, "app", "index.html"), Path.Combine(WebBuildDirectory, "ohif", "index.html") })
        {
            Assert.True(File.Exists(required), $"{required} is missing: run scripts/build-web.sh (scripts/test.sh does)");
        }

        var httpPort = TestEnvironment.FreePort();
        BaseUrl = $"http://127.0.0.1:{httpPort}";
        _server = new ServerProcess(Path.Combine(_root, "server"), new Dictionary<string, string>
        {
            ["Urls"] = BaseUrl,
            ["Pacs:Web:Viewer:Directory"] = WebBuildDirectory,
        });
        Directory.CreateDirectory(_server.DataDirectory);
        var data = Task.Run(MakeData);
        await _server.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        await WaitReadyAsync();

        var (ct, vietnamese, compressed) = await data;
        Ct = ct;
        Vietnamese = vietnamese;
        Compressed = compressed;
        foreach (var folder in new[] { "ct", "vn", "compressed" })
        {
            await ViewerTestData.StowAsync(Http, Path.Combine(_root, folder));
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new page in its own context (desktop 1280×800 unless told otherwise) that records what a test asserts on.</summary>
    public async Task<BrowserPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        return await BrowserPage.OpenAsync(context, BaseUrl);
    }

    private (TestStudy Ct, IReadOnlyList<TestStudy> Vietnamese, TestStudy Compressed) MakeData()
    {
        var ct = ViewerTestData.Generate(Path.Combine(_root, "ct"), 1, ViewerTestData.CtSlices, seed: 71, patientOffset: 0)[0];
        var vietnamese = ViewerTestData.Generate(Path.Combine(_root, "vn"), 2, 2, seed: 72, patientOffset: 1);
        var original = ViewerTestData.Generate(Path.Combine(_root, "compressed", "original"), 1, ViewerTestData.CompressedSlices, seed: 73, patientOffset: 3)[0];
        var compressed = ViewerTestData.AddCompressedSeries(original, Path.Combine(_root, "compressed", "original"), Path.Combine(_root, "compressed"));
        return (ct, vietnamese, compressed);
    }

    private async Task WaitReadyAsync()
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var ready = await Http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("the server's /health/ready did not answer 200:\n" + _server!.Output);
    }

    /// <summary>A directory under /tmp the embedded cluster's OS user can traverse.</summary>
    private static string NewDirectory(string prefix)
    {
        var path = Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class ViewerCollection : ICollectionFixture<ViewerFixture>
{
    public const string Name = "viewer";
}
