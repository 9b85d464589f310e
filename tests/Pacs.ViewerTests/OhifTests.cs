using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Pacs.ViewerTests;

/// <summary>OHIF, served by Pacs under /ohif and configured by it, reading Pacs' own DICOMweb.</summary>
[Collection(ViewerCollection.Name)]
public sealed class OhifTests(ViewerFixture fixture, ITestOutputHelper output)
{
    private const string Viewport = "canvas.cornerstone-canvas";

    [Fact]
    public async Task Ohif_opens_the_CT_study_from_Pacs_renders_it_and_scrolls_without_errors()
    {
        await using var page = await fixture.NewPageAsync();
        var started = DateTime.UtcNow;
        await page.Page.GotoAsync($"{fixture.BaseUrl}/ohif/viewer?StudyInstanceUIDs={fixture.Ct.StudyInstanceUID}");
        await page.Page.WaitForSelectorAsync(Viewport, new PageWaitForSelectorOptions { Timeout = 60_000 });
        var first = await page.WaitForImageAsync(Viewport, TimeSpan.FromSeconds(60));
        output.WriteLine($"first image after {(DateTime.UtcNow - started).TotalSeconds:F1} s: {first}");
        await page.ScreenshotAsync("ohif-ct-first");
        Assert.True(first.Varies, $"the viewport shows no image: {first}");

        // The frames came from this server's WADO-RS, the study from its QIDO-RS.
        Assert.Contains(page.Responses, u => u.Contains($"/dicomweb/studies/{fixture.Ct.StudyInstanceUID}/series/", StringComparison.Ordinal) && u.Contains("/frames/1", StringComparison.Ordinal));
        Assert.Contains(page.Responses, u => u.Contains("/dicomweb/studies?", StringComparison.Ordinal) || u.Contains($"/dicomweb/studies/{fixture.Ct.StudyInstanceUID}/series", StringComparison.Ordinal));

        // OHIF's viewport overlay shows "I:<instance number> (<index>/<count>)".
        var position = page.Page.GetByText(new Regex($@"\(\d+/{ViewerTestData.CtSlices}\)")).First;
        var before = await position.InnerTextAsync(new LocatorInnerTextOptions { Timeout = 30_000 });
        var box = await page.Page.Locator(Viewport).First.BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        for (var i = 0; i < 5; i++)
        {
            await page.Page.Mouse.WheelAsync(0, 120);
            await Task.Delay(100);
        }

        var scrolled = await page.WaitForChangeAsync(Viewport, first, TimeSpan.FromSeconds(20));
        await page.ScreenshotAsync("ohif-ct-scrolled");
        Assert.NotEqual(first.Checksum, scrolled.Checksum);
        var after = await position.InnerTextAsync();
        output.WriteLine($"overlay {before} -> {after}");
        Assert.NotEqual(before, after);
        Assert.True(scrolled.Varies, $"the scrolled viewport shows no image: {scrolled}");
        page.AssertClean();
    }
}
