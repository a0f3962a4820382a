using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TaxiAspire.BrowserTests;

namespace TaxiAspire.Screenshots;

/// <summary>Finds a trace that one trip left in the producer and the processor, opens it, and photographs it.</summary>
internal static partial class TraceScreenshot
{
    private const string ProducerTrace = "producer: send taxi_trips";
    private const string ProcessorSpan = "process taxi_trips";
    private const string ProcessorResource = "stream-processor";
    private const string TraceIdLabel = "Trace Id: ";
    private const string OffsetAttribute = "messaging.kafka.offset";

    public static async Task TakeAsync(Uri loginUrl, FileInfo output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Browsers.LaunchOptions());
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 800 } });
        page.SetDefaultTimeout((float)timeout.TotalMilliseconds);
        try
        {
            // The login URL signs the browser in and leads on to the resources page.
            await page.GotoAsync(loginUrl.ToString());
            await page.GetByText(ProcessorResource).First.WaitForAsync();

            // The traces list updates live: wait for a producer's send whose trace the processor joined within a
            // second (so not a trip that waited for the processor to start). The row's name cell carries the full
            // trace id in its title.
            await page.GotoAsync(new Uri(loginUrl, "/traces").ToString());
            var nameCell = page.GetByRole(AriaRole.Row)
                .Filter(new LocatorFilterOptions { HasText = ProducerTrace })
                .Filter(new LocatorFilterOptions { HasText = ProcessorResource })
                .Filter(new LocatorFilterOptions { Has = page.Locator(".trace-duration", new PageLocatorOptions { HasTextRegex = UnderASecond() }) })
                .Locator($"td[title*='{TraceIdLabel}']")
                .Last;
            var title = await nameCell.GetAttributeAsync("title") ?? "";
            var traceId = title[(title.IndexOf(TraceIdLabel, StringComparison.Ordinal) + TraceIdLabel.Length)..].Trim();

            // The trace's page lists both spans (the dashboard names messaging spans "MSG kafka taxi_trips"); the
            // processor's span, selected, shows its attributes: partition, offset, consumer group.
            await page.GotoAsync(new Uri(loginUrl, $"/traces/detail/{traceId}").ToString());
            await page.Locator($"td[title^='{ProcessorResource}']").First.ClickAsync();
            await page.GetByText(ProcessorSpan).First.WaitForAsync();
            await page.GetByText(OffsetAttribute).First.WaitForAsync();
            await DismissMessageBarsAsync(page);

            output.Directory?.Create();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = output.FullName });
            Console.WriteLine($"Wrote {output.FullName} from {page.Url}");
        }
        catch (TimeoutException)
        {
            var seen = Path.Combine(Path.GetTempPath(), "taxiaspire-trace-screenshot-failed");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = seen + ".png" });
            await File.WriteAllTextAsync(seen + ".html", await page.ContentAsync(), cancellationToken);
            await Console.Error.WriteLineAsync($"Gave up after {timeout} at {page.Url}; what the browser saw: {seen}.png and {seen}.html");
            throw;
        }
    }

    // The dashboard's banners (on a machine without a trusted development certificate, the README says why one shows)
    // would push the trace down; a person closes them the same way.
    private static async Task DismissMessageBarsAsync(IPage page)
    {
        const string Dismiss = "fluent-button[aria-label='Dismiss notification']";
        for (var left = await page.Locator(Dismiss).CountAsync(); left > 0; left--)
        {
            await page.Locator(Dismiss).First.ClickAsync();
            await page.WaitForFunctionAsync($"n => document.querySelectorAll(\"{Dismiss}\").length < n", left);
        }
    }

    [GeneratedRegex(@"^\s*[0-9.]+\s*(ms|μs)\s*$")]
    private static partial Regex UnderASecond();
}
