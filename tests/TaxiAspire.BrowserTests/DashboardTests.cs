using System.Diagnostics;
using Microsoft.Playwright;

namespace TaxiAspire.BrowserTests;

/// <summary>The dashboard as a person sees it, in headless Chromium.</summary>
public class DashboardTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static readonly string[] SvgChartCards = ["chart-throughput", "chart-tips", "chart-fares"];

    // Each chart's axis titles: every chart says what it measures and in which unit.
    private static readonly Dictionary<string, string[]> AxisTitles = new()
    {
        ["chart-throughput"] = ["time (UTC)", "trips / s"],
        ["chart-tips"] = ["window start (UTC)", "average tip (USD)"],
        ["chart-fares"] = ["fare (USD)"],
    };

    /// <summary>Set to a folder (e.g. docs/img) to have the screenshot written there too, as the README's picture.</summary>
    public const string ScreenshotFolderVariable = "TAXIASPIRE_SCREENSHOTS";

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

        foreach (var card in SvgChartCards)
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

        // 12 reasons and 12 partitions: every label is there in full (not ellipsised) and inside its chart (not clipped).
        Assert.Equal(DashboardServer.ReasonCodes.Order(StringComparer.Ordinal), (await BarLabelsAsync(page, "chart-rejects")).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(0, DashboardServer.Partitions).Select(p => $"p{p}"), await BarLabelsAsync(page, "chart-lag"));
        // Radzen sizes an axis from its first render, so the labels are checked again after live data changed them.
        var cut = new List<string>(await CutLabelsAsync(page));
        foreach (var (card, titles) in AxisTitles)
        {
            var texts = await page.GetByTestId(card).Locator("svg text").AllTextContentsAsync();
            Assert.All(titles, title => Assert.Contains(title, texts.Select(t => t.Trim())));
        }


        var before = await tripsStored.InnerTextAsync();
        var inserted = Stopwatch.StartNew();
        await server.WriteTripsAsync(25, rejects: 2);
        await Assertions.Expect(tripsStored).ToHaveTextAsync("325", new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 });
        var moved = inserted.Elapsed;
        await Assertions.Expect(page.GetByTestId("kpi-rejects")).ToHaveTextAsync("14");

        cut.AddRange(await CutLabelsAsync(page));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("dashboard.png", png, "image/png");
        if (Environment.GetEnvironmentVariable(ScreenshotFolderVariable) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, "dashboard.png"), png, ct);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"numbers moved {moved.TotalMilliseconds:0} ms after the insert; screenshot: {screenshot}");

        Assert.True(cut.Count == 0, string.Join(Environment.NewLine, cut));
        Assert.Equal("300", before);
        Assert.True(moved < TimeSpan.FromSeconds(2.5), $"the page took {moved} to show the new trips");
        Assert.Empty(errors);
        Assert.False(ct.IsCancellationRequested);
    }

    private static async Task<IReadOnlyList<string>> CutLabelsAsync(IPage page)
    {
        var cut = new List<string>();
        foreach (var card in SvgChartCards.Concat(["chart-rejects", "chart-lag"]))
        {
            cut.AddRange(await CutLabelsAsync(page, card));
        }

        return cut;
    }

    private static async Task<IReadOnlyList<string>> BarLabelsAsync(IPage page, string card) =>
        [.. (await page.GetByTestId(card).GetByTestId("bar-label").AllTextContentsAsync()).Select(t => t.Trim())];

    /// <summary>
    /// The labels of a chart a person cannot read whole: text drawn outside its card, text wider than its own box, or
    /// text ending in an ellipsis.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CutLabelsAsync(IPage page, string card) =>
        await page.GetByTestId(card).EvaluateAsync<string[]>("""
            (card, name) => {
              const box = e => e.getBoundingClientRect();
              const cut = [];
              const check = (element, area) => {
                const text = element.textContent.trim();
                if (!text) return;
                const b = box(element), a = box(area);
                const outside = b.left < a.left - 1 || b.right > a.right + 1 || b.top < a.top - 1 || b.bottom > a.bottom + 1;
                // SVG text has no client box of its own; the box check covers it.
                const overflowing = !(element instanceof SVGElement) && element.scrollWidth > element.clientWidth + 1;
                const ellipsised = /(\u2026|\.\.)$/.test(text);
                if (outside || overflowing || ellipsised) cut.push(`${name}: "${text}"${outside ? " outside" : ""}${overflowing ? " overflowing" : ""}${ellipsised ? " ellipsised" : ""}`);
              };
              card.querySelectorAll(".rz-chart svg text").forEach(t => check(t, card));
              card.querySelectorAll("table.bars th, table.bars td.bar-value").forEach(c => check(c, card));
              return cut;
            }
            """, card);
}
