using System.CommandLine;
using TaxiAspire.Screenshots;

// Photographs one trip's trace in the Aspire dashboard: the producer's `send taxi_trips` span with the processor's
// `process taxi_trips` span under it. Run from the repository root; without --dashboard it starts the AppHost in local
// mode and stops it afterwards, e.g. `dotnet run --project tools/TaxiAspire.Screenshots` (see docs/testing.md).
var output = new Option<FileInfo>("--output")
{
    Description = "Where to write the PNG.",
    DefaultValueFactory = _ => new FileInfo(Path.Combine("docs", "img", "trace.png")),
};
var dashboard = new Option<Uri?>("--dashboard")
{
    Description = "The login URL a running AppHost printed (http://localhost:15080/login?t=…). Without it, the AppHost is started in local mode and stopped afterwards.",
    CustomParser = result =>
    {
        if (Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var url)) return url;
        result.AddError("--dashboard must be an absolute URL, the login URL the AppHost printed.");
        return null;
    },
};
var timeout = new Option<TimeSpan>("--timeout")
{
    Description = "How long to wait for the dashboard and for a trip's trace.",
    DefaultValueFactory = _ => TimeSpan.FromMinutes(5),
};

var root = new RootCommand("Photographs one trip's trace in the Aspire dashboard of a running TaxiAspire.") { output, dashboard, timeout };
root.SetAction(async (parse, cancellationToken) =>
{
    var file = parse.GetRequiredValue(output);
    var limit = parse.GetRequiredValue(timeout);
    if (parse.GetValue(dashboard) is { } loginUrl)
    {
        await TraceScreenshot.TakeAsync(loginUrl, file, limit, cancellationToken);
        return 0;
    }

    if (!File.Exists("TaxiAspire.sln"))
    {
        await Console.Error.WriteLineAsync("Run this from the repository root (where TaxiAspire.sln is), or pass --dashboard.");
        return 2;
    }

    await using var appHost = AppHostRun.StartLocal(Directory.GetCurrentDirectory());
    await TraceScreenshot.TakeAsync(await appHost.WaitForLoginUrlAsync(limit, cancellationToken), file, limit, cancellationToken);
    return 0;
});

return await root.Parse(args).InvokeAsync();
