using System.Diagnostics;

namespace TaxiAspire.Api.LoadTest;

/// <summary>Latencies of one endpoint, in milliseconds.</summary>
internal sealed record EndpointFigures(string Endpoint, long Requests, long Errors, double RequestsPerSecond, double P50, double P95, double P99, double Max);

/// <summary>What the load generator saw over the measured period.</summary>
internal sealed record LoadFigures(IReadOnlyList<EndpointFigures> Endpoints, double RequestsPerSecond);

/// <summary>
/// N clients, each on its own keep-alive connection, cycling through the requests a dashboard and API pollers make
/// (a request's path may depend on the client: each looks at its own range).
/// With a think time each client waits a random 0.5–1.5 × that long after each answer before its next request (a
/// closed loop with think time: a user or dashboard polling); with none, it asks again at once, which measures the
/// saturation throughput of the whole machine rather than the latency a client sees. Latency is measured from send
/// to the last byte of the body. Per request the generator only sends, drains the body into a reused buffer and
/// appends one number; percentiles are computed at the end from the sorted samples.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadFigures> RunAsync(
        Uri api, int clients, TimeSpan thinkTime, TimeSpan warmup, TimeSpan duration, IReadOnlyList<(string Name, Func<int, string> Path)> requests,
        CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var samples = requests.Select(_ => new List<double>[clients]).ToArray();
        var errors = new long[requests.Count];
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var stopAt = warmup + duration;

        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var uris = requests.Select(r => new Uri(api, r.Path(client))).ToArray();
            var mine = requests.Select(_ => new List<double>(16_384)).ToArray();
            for (var i = 0; i < requests.Count; i++)
            {
                samples[i][client] = mine[i];
            }

            var random = new Random(client);
            var next = client % requests.Count;
            var buffer = new byte[64 * 1024];
            // Spread the clients' first requests over one think time, as independent pollers would be.
            if (thinkTime > TimeSpan.Zero)
            {
                await Task.Delay(thinkTime * random.NextDouble(), cancellationToken);
            }

            while (clock.Elapsed < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var index = next;
                next = (next + 1) % requests.Count;
                var started = clock.Elapsed;
                var ok = false;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uris[index]);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    while (await body.ReadAsync(buffer, cancellationToken) > 0)
                    {
                    }

                    ok = response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }

                var finished = clock.Elapsed;
                if (started >= measureFrom && finished <= stopAt)
                {
                    if (ok)
                    {
                        mine[index].Add((finished - started).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors[index]);
                    }
                }

                if (thinkTime > TimeSpan.Zero)
                {
                    await Task.Delay(thinkTime * (0.5 + random.NextDouble()), cancellationToken);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);

        var endpoints = requests.Select((request, i) =>
        {
            var all = samples[i].Where(s => s is not null).SelectMany(s => s).Order().ToArray();
            return new EndpointFigures(
                request.Name,
                all.Length,
                errors[i],
                Math.Round(all.Length / duration.TotalSeconds, 1),
                Percentile(all, 0.50),
                Percentile(all, 0.95),
                Percentile(all, 0.99),
                all.Length == 0 ? 0 : Math.Round(all[^1], 2));
        }).ToList();
        return new LoadFigures(endpoints, Math.Round(endpoints.Sum(e => e.Requests) / duration.TotalSeconds, 1));
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)], 2);
}
