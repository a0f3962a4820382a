using System.Diagnostics;
using Microsoft.Playwright;

// Runs the AppHost in local mode, waits for the producer's trips to be traced through the processor, and photographs
// one trip's trace in the Aspire dashboard. Build the AppHost first (it is started with --no-build, so the lock is not
// held through a build), then run from the repository root under the shared lock (fixed ports):
//   dotnet build TaxiAspire.AppHost && dotnet build tools/TaxiAspire.Screenshots
//   flock /tmp/taxi-heavy.lock dotnet run --no-build --project tools/TaxiAspire.Screenshots -- docs/img
var outputFolder = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("docs", "img"));
var repository = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(repository, "TaxiAspire.sln")))
{
    Console.Error.WriteLine("Run this from the repository root (where TaxiAspire.sln is).");
    return 2;
}

const string DashboardUrl = "http://localhost:15080";
var timeout = TimeSpan.FromMinutes(6);
Directory.CreateDirectory(outputFolder);

using var appHost = StartAppHost(repository);
try
{
    await WaitForAsync(async () => await IsUpAsync(DashboardUrl), timeout, "the Aspire dashboard to answer");
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        Headless = true,
        ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });

    // The resources page, as a newcomer first sees it (whether a certificate banner shows, for one).
    await page.GotoAsync(DashboardUrl, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
    await WaitForAsync(async () => await page.GetByText("stream-processor").CountAsync() > 0, timeout, "the resources to be listed");
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(outputFolder, "resources.png") });

    // A trace that crosses the producer and the processor: its row names both resources.
    ILocator row = page.Locator("[role=row]").Filter(new LocatorFilterOptions { HasText = "send taxi_trips" }).Filter(new LocatorFilterOptions { HasText = "stream-processor" });
    await WaitForAsync(async () =>
    {
        await page.GotoAsync($"{DashboardUrl}/traces?filters=", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        return await row.CountAsync() > 0;
    }, timeout, "a send taxi_trips trace that reaches the stream processor");

    await row.First.Locator("a[href*='/traces/detail/']").First.ClickAsync();
    await page.WaitForURLAsync("**/traces/detail/**");
    await page.GetByText("process taxi_trips").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    var trace = Path.Combine(outputFolder, "trace.png");
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = trace });
    Console.WriteLine($"Wrote {trace} ({page.Url}) and {Path.Combine(outputFolder, "resources.png")}");
    return 0;
}
finally
{
    if (!appHost.HasExited)
    {
        appHost.Kill(entireProcessTree: true);
        await appHost.WaitForExitAsync();
    }
}

// Local mode on the launch profile's plain-http ports; the dashboard without a login token, since nobody but this
// tool reaches it; the database in a throwaway folder the postgres OS user can reach.
static Process StartAppHost(string repository)
{
    var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "--project", "TaxiAspire.AppHost", "--", "--infrastructure", "local",
        "--Infrastructure:LocalPostgresDataDirectory", Path.Combine(Path.GetTempPath(), $"taxiaspire-screenshots-{Environment.ProcessId}")])
    {
        WorkingDirectory = repository,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
    var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start.");
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine($"[apphost] {e.Data}"); };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[apphost] {e.Data}"); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task<bool> IsUpAsync(string url)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    try
    {
        using var response = await http.GetAsync(new Uri(url));
        return (int)response.StatusCode < 500;
    }
    catch (HttpRequestException)
    {
        return false;
    }
    catch (TaskCanceledException)
    {
        return false;
    }
}

static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
{
    var clock = Stopwatch.StartNew();
    while (!await condition())
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"Gave up waiting for {what} after {timeout}.");
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
