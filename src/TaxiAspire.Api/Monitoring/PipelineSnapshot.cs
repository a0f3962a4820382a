using TaxiAspire.Api.Models;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Windows;

namespace TaxiAspire.Api.Monitoring;

/// <summary>Everything the dashboard shows, read at one moment; also what <c>/api/stats</c> serves.</summary>
public sealed record PipelineSnapshot(
    PipelineStats Stats,
    IReadOnlyList<ThroughputPoint> Throughput,
    IReadOnlyList<WindowView> RecentWindows,
    IReadOnlyList<TripView> RecentAnomalies,
    IReadOnlyList<TripView> RecentScoredTrips,
    ModelCatalogView Models);
