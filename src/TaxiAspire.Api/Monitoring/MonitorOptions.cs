using System.ComponentModel.DataAnnotations;

namespace TaxiAspire.Api.Monitoring;

public sealed class MonitorOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How often the snapshot is read again and pushed; the page promises news within 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much event time the window charts cover, back from the latest pickup.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00")]
    public TimeSpan WindowSpan { get; set; } = TimeSpan.FromHours(3);
}
