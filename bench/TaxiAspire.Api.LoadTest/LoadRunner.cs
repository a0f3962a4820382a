using System.Diagnostics;

namespace TaxiAspire.Api.LoadTest;

/// <summary>Latencies of one endpoint, in milliseconds.</summary>
internal sealed record EndpointFigures(string Endpoint, long Requests, long Errors, double RequestsPerSecond, double P50, double P95, double P99, double Max);

/// <summary>
/// Closed-loop load: each client sends its next request as soon as the previous answer is read, cycling through the
/// requests a dashboard and API pollers make. Latency is measured from send to the last byte of the body.
/// </summary>
internal static class LoadRunner
{
    public static async Task<IReadOnlyList<EndpointFigures>> RunAsync(
        Uri api, int clients, TimeSpan warmup, TimeSpan duration, IReadOnlyList<(string Name, string Path)> requests, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var samples = requests.Select(_ => new List<double>[clients]).ToArray();
        var errors = new long[requests.Count];
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var stopAt = warmup + duration;

        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = requests.Select(_ => new List<double>(4_096)).ToArray();
            for (var i = 0; i < requests.Count; i++)
            {
                samples[i][client] = mine[i];
            }

            var next = client % requests.Count;
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var index = next;
                next = (next + 1) % requests.Count;
                var started = clock.Elapsed;
                var ok = false;
                try
                {
                    using var response = await http.GetAsync(requests[index].Path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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

                if (started < measureFrom)
                {
                    continue;
                }

                if (ok)
                {
                    mine[index].Add((clock.Elapsed - started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors[index]);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);

        return [.. requests.Select((request, i) =>
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
        })];
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)], 2);
}
