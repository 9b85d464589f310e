using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Pacs.ViewerTests;

/// <summary>The light viewer at /view/ on a phone-sized, touch screen.</summary>
[Collection(ViewerCollection.Name)]
public sealed class PhoneViewerTests(ViewerFixture fixture, ITestOutputHelper output)
{
    private const string Viewport = "[data-testid=viewport]";
    private const string Indicator = "[data-testid=slice-indicator]";

    private static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        HasTouch = true,
        IsMobile = true,
    };

    [Fact]
    public async Task The_first_image_shows_a_swipe_changes_the_slice_and_a_preset_changes_the_pixels()
    {
        await using var page = await fixture.NewPageAsync(Phone);
        await page.Page.GotoAsync($"{fixture.BaseUrl}/view/?StudyInstanceUID={fixture.Ct.StudyInstanceUID}");
        await page.Page.WaitForSelectorAsync("body[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var first = await page.WaitForImageAsync(Viewport, TimeSpan.FromSeconds(20));
        await page.ScreenshotAsync("phone-ct-first");
        Assert.True(first.Varies, $"the viewport shows no image: {first}");
        Assert.Equal($"1 / {ViewerTestData.CtSlices}", (await page.Page.InnerTextAsync(Indicator)).Trim());

        // A real touch swipe through Chromium's input pipeline (CDP Input.dispatchTouchEvent), down the viewport.
        var box = (await page.Page.Locator(Viewport).BoundingBoxAsync())!;
        var cdp = await page.Context.NewCDPSessionAsync(page.Page);
        var x = box.X + (box.Width / 2);
        var y0 = box.Y + (box.Height * 0.25);
        var y1 = box.Y + (box.Height * 0.75);
        await Touch(cdp, "touchStart", x, y0);
        for (var step = 1; step <= 12; step++)
        {
            await Touch(cdp, "touchMove", x, y0 + ((y1 - y0) * step / 12));
            await Task.Delay(16);
        }

        await cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object> { ["type"] = "touchEnd", ["touchPoints"] = Array.Empty<object>() });
        await Assertions.Expect(page.Page.Locator(Indicator)).Not.ToHaveTextAsync($"1 / {ViewerTestData.CtSlices}");
        var swiped = await page.WaitForChangeAsync(Viewport, first, TimeSpan.FromSeconds(10));
        var indicator = (await page.Page.InnerTextAsync(Indicator)).Trim();
        output.WriteLine($"after the swipe: {indicator}");
        Assert.Matches($@"^\d+ / {ViewerTestData.CtSlices}$", indicator);
        Assert.NotEqual(first.Checksum, swiped.Checksum);
        await page.ScreenshotAsync("phone-ct-swiped");

        var voiBefore = await page.Page.EvaluateAsync<double[]>("() => { const v = window.pacsViewer.voi(); return [v.windowWidth, v.windowCenter]; }");
        await page.Page.ClickAsync("[data-preset=lung]");
        var lung = await page.WaitForChangeAsync(Viewport, swiped, TimeSpan.FromSeconds(10));
        var voiLung = await page.Page.EvaluateAsync<double[]>("() => { const v = window.pacsViewer.voi(); return [v.windowWidth, v.windowCenter]; }");
        await page.ScreenshotAsync("phone-ct-lung");
        Assert.NotEqual(swiped.Checksum, lung.Checksum);
        Assert.NotEqual(voiBefore, voiLung);
        page.AssertClean();
    }

    [Fact]
    public async Task Each_compressed_series_displays()
    {
        await using var page = await fixture.NewPageAsync(Phone);
        await page.Page.GotoAsync($"{fixture.BaseUrl}/view/?StudyInstanceUID={fixture.Compressed.StudyInstanceUID}");
        await page.Page.WaitForSelectorAsync("body[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.Equal(fixture.Compressed.Series.Count, await page.Page.Locator("[data-testid=series-list] [data-series-uid]").CountAsync());

        var checksums = new Dictionary<string, long>();
        foreach (var series in fixture.Compressed.Series)
        {
            var button = page.Page.Locator($"[data-testid=series-list] [data-series-uid=\"{series.SeriesInstanceUID}\"]");
            await button.ClickAsync();
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
            await WaitForFramesOf(page, series.SeriesInstanceUID);
            await page.Page.WaitForSelectorAsync("body[data-state=ready]", new PageWaitForSelectorOptions { Timeout = 30_000 });
            await Assertions.Expect(page.Page.Locator(Indicator)).ToHaveTextAsync($"1 / {series.Instances}");
            var pixels = await page.WaitForImageAsync(Viewport, TimeSpan.FromSeconds(20));
            await page.ScreenshotAsync("phone-series-" + series.Description.Replace(' ', '-'));
            output.WriteLine($"{series.Description}: {pixels}");
            Assert.True(pixels.Varies, $"{series.Description} shows no image: {pixels}");
            checksums[series.Description] = pixels.Checksum;
        }

        // Lossless copies of one series: every codec decodes to what the uncompressed original shows.
        Assert.Single(checksums.Values.Distinct());
        page.AssertClean();
    }

    /// <summary>The shown series' frames were fetched from WADO-RS (the pixels alone cannot tell lossless copies apart).</summary>
    private static async Task WaitForFramesOf(BrowserPage page, string seriesUid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!page.Responses.Any(u => u.Contains($"/series/{seriesUid}/instances/", StringComparison.Ordinal) && u.Contains("/frames/", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no frame of series {seriesUid} was fetched");
            await Task.Delay(100);
        }
    }

    private static Task Touch(ICDPSession cdp, string type, double x, double y) =>
        cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y, ["id"] = 1 } },
        });
}
