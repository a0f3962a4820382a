using System.Diagnostics;

namespace TaxiAspire.AppHost.Tests;

/// <summary>Asks again every 250 ms until a probe answers, for conditions only an endpoint or a query can show.</summary>
internal static class Poll
{
    /// <summary>
    /// The probe's first non-null answer. An <see cref="HttpRequestException"/> counts as no answer yet (a service
    /// restarting); past <paramref name="deadline"/> a <see cref="TimeoutException"/> carries the last one.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, CancellationToken ct)
        where T : struct
    {
        var (value, last) = await RunAsync(probe, deadline, ct);
        return value ?? throw new TimeoutException($"Nothing after {deadline}.", last);
    }

    /// <summary>As <see cref="UntilAsync{T}"/>, but null past the deadline, for a wait that may give up.</summary>
    public static async Task<T?> UntilOrNullAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, CancellationToken ct)
        where T : struct => (await RunAsync(probe, deadline, ct)).Value;

    private static async Task<(T? Value, Exception? Last)> RunAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, CancellationToken ct)
        where T : struct
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < deadline)
        {
            try
            {
                if (await probe() is { } value) return (value, last);
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(250, ct);
        }

        return (null, last);
    }
}
