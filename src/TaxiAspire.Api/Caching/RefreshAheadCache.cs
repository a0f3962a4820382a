using System.Collections.Concurrent;

namespace TaxiAspire.Api.Caching;

/// <summary>
/// Serialized answers per key, never older than <see cref="MaxAge"/> (counted from the moment their read began) and
/// refreshed ahead of that: once an answer is half that old, the next caller starts one background read and is
/// served the current answer meanwhile. Under steady polling no request therefore waits on the database, and there
/// is at most one read per key in flight (no stampede when an answer expires). A key nobody asked for within
/// <see cref="MaxAge"/> waits for a fresh read. When the answers kept reach the byte budget, entries unused for
/// <see cref="IdleEviction"/> make room, and if none are idle a new key is read through without being kept, so
/// arbitrary query strings cannot grow the cache.
/// </summary>
public sealed class RefreshAheadCache<TKey>(TimeProvider timeProvider, TimeSpan maxAge, long byteBudget)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private long _bytes;

    public TimeSpan MaxAge { get; } = maxAge;

    public TimeSpan IdleEviction { get; } = maxAge * 30;

    /// <summary>The answer for <paramref name="key"/>, read by <paramref name="read"/> at most <see cref="MaxAge"/> ago.</summary>
    public ValueTask<ReadOnlyMemory<byte>> GetAsync(TKey key, Func<TKey, CancellationToken, Task<byte[]>> read, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (Interlocked.Read(ref _bytes) >= byteBudget && !EvictIdle(now))
            {
                return ReadThroughAsync(key, read, cancellationToken);
            }

            entry = _entries.GetOrAdd(key, static _ => new Entry());
        }

        entry.LastUsed = now;
        if (entry.Current is { } current)
        {
            var age = timeProvider.GetElapsedTime(current.ReadStartedAt, now);
            if (age < MaxAge / 2)
            {
                return ValueTask.FromResult(current.Json);
            }

            if (age < MaxAge)
            {
                // A failed background read leaves the current answer in place; the caller that next finds it
                // expired reads again and sees the error itself.
                Refresh(key, entry, read).ContinueWith(
                    static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                return ValueTask.FromResult(current.Json);
            }
        }

        return WaitAsync(Refresh(key, entry, read), cancellationToken);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> WaitAsync(Task<Answer> refresh, CancellationToken cancellationToken) =>
        (await refresh.WaitAsync(cancellationToken)).Json;

    private static async ValueTask<ReadOnlyMemory<byte>> ReadThroughAsync(
        TKey key, Func<TKey, CancellationToken, Task<byte[]>> read, CancellationToken cancellationToken) =>
        await read(key, cancellationToken);

    /// <summary>The read in flight for this entry, or a new one. It does not follow any caller's cancellation.</summary>
    private Task<Answer> Refresh(TKey key, Entry entry, Func<TKey, CancellationToken, Task<byte[]>> read)
    {
        lock (entry)
        {
            if (entry.InFlight is { IsCompleted: false } running)
            {
                return running;
            }

            return entry.InFlight = ReadAsync(key, entry, read);
        }
    }

    private async Task<Answer> ReadAsync(TKey key, Entry entry, Func<TKey, CancellationToken, Task<byte[]>> read)
    {
        var startedAt = timeProvider.GetTimestamp();
        // Never inline the read into the caller that triggered it: that caller is served the current answer.
        await Task.Yield();
        var answer = new Answer(await read(key, CancellationToken.None), startedAt);
        var previous = Interlocked.Exchange(ref entry.Current, answer);
        Interlocked.Add(ref _bytes, answer.Json.Length - (previous?.Json.Length ?? 0));
        return answer;
    }

    /// <summary>Drops entries nobody asked for lately; true when that freed room.</summary>
    private bool EvictIdle(long now)
    {
        var freed = false;
        foreach (var (key, entry) in _entries)
        {
            if (timeProvider.GetElapsedTime(entry.LastUsed, now) > IdleEviction && _entries.TryRemove(key, out var removed))
            {
                Interlocked.Add(ref _bytes, -(removed.Current?.Json.Length ?? 0));
                freed = true;
            }
        }

        return freed && Interlocked.Read(ref _bytes) < byteBudget;
    }

    private sealed record Answer(ReadOnlyMemory<byte> Json, long ReadStartedAt);

    private sealed class Entry
    {
        public Answer? Current;
        public Task<Answer>? InFlight;
        public long LastUsed;
    }
}
