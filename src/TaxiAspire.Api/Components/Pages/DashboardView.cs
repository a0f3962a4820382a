using System.Globalization;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Monitoring;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;

namespace TaxiAspire.Api.Components.Pages;

/// <summary>Trips stored in one second (a chart point).</summary>
public sealed record SecondCount(DateTime Second, long Trips);

/// <summary>One window's value (a chart point).</summary>
public sealed record WindowPoint(DateTime Start, double Value);

public sealed record VendorSeries(int VendorId, IReadOnlyList<WindowPoint> Points);

/// <summary>One scored trip: its actual fare beside the model's prediction.</summary>
public sealed record FarePair(int Index, double Actual, double Predicted);

/// <summary>One row of a horizontal bar chart: its label, its formatted value, and its length in % of the longest.</summary>
public sealed record Bar(string Label, string Value, double Percent);

/// <summary>A snapshot shaped for the page: chart series and formatted figures, computed once per refresh.</summary>
public sealed record DashboardView(
    string AsOf,
    string TripsStored,
    string TripsPerSecond,
    string Rejected,
    string FareTotal,
    string TotalLag,
    IReadOnlyList<SecondCount> Throughput,
    IReadOnlyList<VendorSeries> TipsByVendor,
    IReadOnlyList<FarePair> Fares,
    IReadOnlyList<Bar> Rejects,
    IReadOnlyList<Bar> Lag,
    string LagUnit,
    string LagNote,
    ModelVersionView? Champion,
    int ModelVersionCount,
    IReadOnlyList<TripView> Anomalies)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static DashboardView From(PipelineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var stats = snapshot.Stats;
        var lagKnown = stats.ConsumerLag.Count > 0 && stats.ConsumerLag.All(p => p.Lag is not null);
        // "p0".."p11" when all rows are one group's one topic (the usual case, named in the note); otherwise the
        // topic goes into the label too.
        var oneLog = stats.ConsumerLag.Select(p => (p.ConsumerGroup, p.Topic)).Distinct().Count() <= 1;
        var lag = Bars(stats.ConsumerLag.Select(p => (oneLog ? $"p{p.Partition}" : $"{p.Topic} p{p.Partition}", lagKnown ? p.Lag!.Value : p.StoredOffset)));
        var logName = stats.ConsumerLag.Count > 0 && oneLog && stats.ConsumerLag[0] is var first ? $" ({first.Topic}, group {first.ConsumerGroup})" : "";

        return new DashboardView(
            stats.AsOf.ToString("HH:mm:ss", Invariant),
            stats.TripsStored.ToString("N0", Invariant),
            stats.TripsPerSecond.ToString("0.0", Invariant),
            stats.MessagesRejected.ToString("N0", Invariant),
            stats.FareTotal.ToString("C0", CultureInfo.GetCultureInfo("en-US")),
            lagKnown ? stats.ConsumerLag.Sum(p => p.Lag!.Value).ToString("N0", Invariant) : "unknown",
            FillSeconds(snapshot.Throughput, stats.AsOf),
            [.. snapshot.RecentWindows
                .GroupBy(w => w.VendorId)
                .OrderBy(g => g.Key)
                .Select(g => new VendorSeries(g.Key, [.. g.OrderBy(w => w.WindowStart).Select(w => new WindowPoint(w.WindowStart.UtcDateTime, (double)w.AvgTip))]))],
            [.. snapshot.RecentScoredTrips
                .Select((t, i) => new FarePair(i + 1, (double)t.FareAmount, t.PredictedFare ?? 0))],
            Bars(stats.RejectsByReason.Select(r => (r.Reason, r.Count))),
            lag,
            lagKnown ? "messages behind" : "stored offset (messages)",
            lagKnown
                ? $"Broker high watermark minus the offset stored with the results{logName}."
                : $"Lag unknown (the API cannot reach Kafka): showing the offsets stored with the results{logName}.",
            snapshot.Models.Versions.FirstOrDefault(v => v.Version == snapshot.Models.ChampionVersion),
            snapshot.Models.Versions.Count,
            snapshot.RecentAnomalies);
    }

    private static List<Bar> Bars(IEnumerable<(string Label, long Value)> rows)
    {
        var list = rows.ToList();
        var max = Math.Max(1, list.Count == 0 ? 0 : list.Max(r => r.Value));
        return [.. list.Select(r => new Bar(r.Label, r.Value.ToString("N0", Invariant), 100.0 * Math.Max(0, r.Value) / max))];
    }

    // Seconds without a stored trip are absent from the query; the chart shows them as zero, not as a gap.
    private static List<SecondCount> FillSeconds(IReadOnlyList<ThroughputPoint> points, DateTimeOffset asOf)
    {
        var bySecond = points.ToDictionary(p => p.Second.UtcDateTime, p => p.Trips);
        var end = new DateTime(asOf.UtcTicks - (asOf.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var seconds = new List<SecondCount>(60);
        for (var second = end.AddSeconds(-59); second <= end; second = second.AddSeconds(1))
        {
            seconds.Add(new SecondCount(second, bySecond.GetValueOrDefault(second)));
        }

        return seconds;
    }
}
