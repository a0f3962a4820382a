using System.Diagnostics;
using Microsoft.Playwright;

namespace TaxiAspire.BrowserTests;

/// <summary>The dashboard as a person sees it, in headless Chromium.</summary>
public class DashboardTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static readonly string[] ChartCards = ["chart-throughput", "chart-tips", "chart-fares", "chart-rejects", "chart-lag"];

    [Fact]
    public async Task The_dashboard_loads_cleanly_draws_its_charts_and_moves_with_new_trips()
    {
        var ct = TestContext.Current.CancellationToken;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Browsers.LaunchOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var tripsStored = page.GetByTestId("kpi-trips-stored");
        await Assertions.Expect(tripsStored).ToHaveTextAsync("300");
        var results = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "dashboard.html"), await page.ContentAsync(), ct);

        foreach (var card in ChartCards)
        {
            // Radzen draws each series as a group of SVG paths; the tallest one must have a real size, so an axis
            // frame with no data (or a row of zero columns) does not pass as a chart.
            var series = page.GetByTestId(card).Locator("svg g[class*='-series']");
            await Assertions.Expect(series.First).ToBeAttachedAsync();
            var extent = await page.GetByTestId(card).EvaluateAsync<double>(
                "card => Math.max(0, ...Array.from(card.querySelectorAll(\"svg g[class*='-series'] path\")).map(p => { const b = p.getBBox(); return Math.max(b.width, b.height); }))");
            Assert.True(extent > 2, $"{card} drew no data (largest series shape {extent:0.#} px)");
        }

        await Assertions.Expect(page.GetByTestId("anomalies").Locator("tbody tr").First).ToBeVisibleAsync();

        var before = await tripsStored.InnerTextAsync();
        var inserted = Stopwatch.StartNew();
        await server.WriteTripsAsync(25, rejects: 2);
        await Assertions.Expect(tripsStored).ToHaveTextAsync("325", new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 });
        var moved = inserted.Elapsed;
        await Assertions.Expect(page.GetByTestId("kpi-rejects")).ToHaveTextAsync("14");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("dashboard.png", png, "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"numbers moved {moved.TotalMilliseconds:0} ms after the insert; screenshot: {screenshot}");

        Assert.Equal("300", before);
        Assert.True(moved < TimeSpan.FromSeconds(2.5), $"the page took {moved} to show the new trips");
        Assert.Empty(errors);
        Assert.False(ct.IsCancellationRequested);
    }
}
