using System.Globalization;

namespace TaxiAspire.Api.LoadTest;

/// <summary>Command-line settings; every one has a default that reproduces the README figures.</summary>
internal sealed record LoadTestOptions(
    long Trips,
    int Clients,
    TimeSpan ThinkTime,
    TimeSpan Duration,
    TimeSpan Warmup,
    int StreamRate,
    string? DataDirectory,
    string? ConnectionString,
    Uri? Api)
{
    /// <summary>Mean pause of a client between an answer and its next request; 0 = ask again at once (saturation).</summary>
    public const double DefaultThinkTimeMs = 100;

    public static LoadTestOptions Parse(string[] args)
    {
        var options = new LoadTestOptions(5_000_000, 200, TimeSpan.FromMilliseconds(DefaultThinkTimeMs), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 1_000, null, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--trips" => options with { Trips = long.Parse(value, CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--think-ms" => options with { ThinkTime = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--stream-rate" => options with { StreamRate = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data-dir" => options with { DataDirectory = value },
                "--connection-string" => options with { ConnectionString = value },
                "--api" => options with { Api = new Uri(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --trips --clients --think-ms --duration --warmup --stream-rate --data-dir --connection-string --api"),
            };
            i++;
        }

        return options;
    }
}
