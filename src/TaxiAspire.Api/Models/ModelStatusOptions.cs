using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Api.Models;

/// <summary>Bound from <c>ModelStatus</c>: how the API judges the champion on live trips (<c>/api/models/status</c>, dashboard).</summary>
public sealed class ModelStatusOptions
{
    public const string SectionName = "ModelStatus";

    /// <summary>The newest stored trips looked at; those the champion scored are compared with its baseline.</summary>
    [Range(100, 10_000_000)]
    public int RecentTrips { get; set; } = 5_000;

    /// <summary>Fewer champion-scored trips than this among them say nothing either way: no warning.</summary>
    [Range(1, 10_000_000)]
    public int MinScoredTrips { get; set; } = 200;

    /// <summary>The status is read at most this often, however many dashboards and callers ask.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);
}
