using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Pacs.ViewerTests;

/// <summary>The study list at /: search with Vietnamese names typed without accents, switch language, open OHIF.</summary>
[Collection(ViewerCollection.Name)]
public sealed class StudyListTests(ViewerFixture fixture)
{
    [Fact]
    public async Task Searching_nguyen_lists_the_Vietnamese_studies_and_open_goes_to_OHIF()
    {
        await using var page = await fixture.NewPageAsync();
        await page.Page.GotoAsync(fixture.BaseUrl + "/");
        await page.Page.FillAsync("input[name=PatientName]", "nguyen");
        await page.Page.ClickAsync("[data-testid=search]");
        await page.Page.WaitForSelectorAsync("body[data-state=ready]");
        var ct = page.Page.Locator($"tr[data-study-uid=\"{fixture.Ct.StudyInstanceUID}\"]");
        await Assertions.Expect(ct).ToBeVisibleAsync();
        await page.ScreenshotAsync("studylist-nguyen");

        // "nguyen" finds Nguyễn^Văn Ánh and Nguyễn^Thị Mai (case and accents ignored), not Trần^Thị Hương or Lê^Hoàng Phúc.
        var nguyen = fixture.Vietnamese.Single(s => s.PatientName.StartsWith("Nguyễn", StringComparison.Ordinal));
        var tran = fixture.Vietnamese.Single(s => s.PatientName.StartsWith("Trần", StringComparison.Ordinal));
        await Assertions.Expect(page.Page.Locator($"tr[data-study-uid=\"{nguyen.StudyInstanceUID}\"]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Page.Locator($"tr[data-study-uid=\"{tran.StudyInstanceUID}\"]").CountAsync());
        Assert.Equal(0, await page.Page.Locator($"tr[data-study-uid=\"{fixture.Compressed.StudyInstanceUID}\"]").CountAsync());
        Assert.Contains("Nguyễn", await ct.Locator("td[data-field=PatientName]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(ViewerTestData.CtSlices.ToString(), (await ct.Locator("td[data-field=NumberOfStudyRelatedInstances]").InnerTextAsync()).Trim());
        Assert.Contains("CT", await ct.Locator("td[data-field=ModalitiesInStudy]").InnerTextAsync(), StringComparison.Ordinal);

        var open = ct.Locator("a[data-testid=open-ohif]");
        Assert.Equal($"/ohif/viewer?StudyInstanceUIDs={fixture.Ct.StudyInstanceUID}", await open.GetAttributeAsync("href"));
        Assert.Equal($"/view/?StudyInstanceUID={fixture.Ct.StudyInstanceUID}", await ct.Locator("a[data-testid=open-phone]").GetAttributeAsync("href"));
        await open.ClickAsync();
        await page.Page.WaitForURLAsync(new Regex("/ohif/viewer\\?StudyInstanceUIDs=" + Regex.Escape(fixture.Ct.StudyInstanceUID)));
        await page.Page.WaitForSelectorAsync("canvas.cornerstone-canvas", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var image = await page.WaitForImageAsync("canvas.cornerstone-canvas", TimeSpan.FromSeconds(60));
        await page.ScreenshotAsync("studylist-opened-ohif");
        Assert.True(image.Varies, $"OHIF opened from the study list shows no image: {image}");
        page.AssertClean();
    }

    [Fact]
    public async Task The_language_switch_changes_the_labels_between_Vietnamese_and_English()
    {
        await using var page = await fixture.NewPageAsync();
        await page.Page.GotoAsync(fixture.BaseUrl + "/");
        var header = page.Page.Locator("th[data-sort=PatientName]");
        var search = page.Page.Locator("[data-testid=search]");

        await page.Page.SelectOptionAsync("[data-testid=lang-switch]", "vi");
        await Assertions.Expect(page.Page.Locator("html")).ToHaveAttributeAsync("lang", "vi");
        var vi = (await header.InnerTextAsync(), await search.InnerTextAsync());
        await page.ScreenshotAsync("studylist-vi");

        await page.Page.SelectOptionAsync("[data-testid=lang-switch]", "en");
        await Assertions.Expect(page.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        var en = (await header.InnerTextAsync(), await search.InnerTextAsync());
        await page.ScreenshotAsync("studylist-en");

        Assert.NotEqual(vi.Item1, en.Item1);
        Assert.NotEqual(vi.Item2, en.Item2);
        Assert.Contains("Patient", en.Item1, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("nhân", vi.Item1, StringComparison.OrdinalIgnoreCase);
        page.AssertClean();
    }
}
