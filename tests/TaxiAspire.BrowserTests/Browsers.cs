using Microsoft.Playwright;

namespace TaxiAspire.BrowserTests;

/// <summary>Which Chromium to drive: Debian's where installed (no `playwright install` needed), Playwright's elsewhere.</summary>
internal static class Browsers
{
    public const string SystemChromium = "/usr/bin/chromium";

    public static BrowserTypeLaunchOptions LaunchOptions() => new()
    {
        Headless = true,
        ExecutablePath = File.Exists(SystemChromium) ? SystemChromium : null,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };
}
