using Npgsql;

namespace TaxiAspire.Data.Queries;

/// <summary>
/// The names of the model's columns on <c>trips</c> (prediction, model version, anomaly flag), as far as the schema has
/// them. The model lifecycle adds them in its own migration; until it has run, readers select NULL instead, so the API
/// works on any schema version. Names come only from the fixed candidates below, never from input.
/// </summary>
public sealed record ScoringColumns(string? Prediction, string? ModelVersion, string? Anomaly)
{
    private static readonly string[] PredictionCandidates = ["predicted_fare", "predicted_fare_amount", "prediction"];
    private static readonly string[] ModelVersionCandidates = ["model_version"];
    private static readonly string[] AnomalyCandidates = ["is_anomaly", "fare_anomaly", "anomaly"];

    public static ScoringColumns None { get; } = new(null, null, null);

    public bool IsComplete => Prediction is not null && ModelVersion is not null && Anomaly is not null;

    /// <summary>SQL for the prediction as <c>double precision</c>, or NULL.</summary>
    public string PredictionSql(string alias) => Prediction is null ? "NULL::double precision" : $"{alias}.{Prediction}::double precision";

    /// <summary>SQL for the model version as text, or NULL.</summary>
    public string ModelVersionSql(string alias) => ModelVersion is null ? "NULL::text" : $"{alias}.{ModelVersion}::text";

    /// <summary>SQL for the anomaly flag as boolean, or NULL.</summary>
    public string AnomalySql(string alias) => Anomaly is null ? "NULL::boolean" : $"{alias}.{Anomaly}";

    public static async Task<ScoringColumns> ProbeAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'trips'
            """);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        return new ScoringColumns(
            PredictionCandidates.FirstOrDefault(present.Contains),
            ModelVersionCandidates.FirstOrDefault(present.Contains),
            AnomalyCandidates.FirstOrDefault(present.Contains));
    }
}

/// <summary>
/// Caches <see cref="ScoringColumns"/> and looks again after <paramref name="recheck"/> while some are missing, so a
/// migration applied while the API runs is picked up without a restart. Two callers may probe at once; the probe
/// only reads the catalog, so the duplicate costs a query and nothing else.
/// </summary>
public sealed class ScoringColumnsProbe(NpgsqlDataSource dataSource, TimeProvider timeProvider, TimeSpan recheck)
{
    private volatile Snapshot? _snapshot;

    public ScoringColumnsProbe(NpgsqlDataSource dataSource, TimeProvider timeProvider)
        : this(dataSource, timeProvider, TimeSpan.FromSeconds(30))
    {
    }

    public async ValueTask<ScoringColumns> GetAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } cached && (cached.Columns.IsComplete || timeProvider.GetUtcNow() - cached.CheckedAt < recheck))
        {
            return cached.Columns;
        }

        var columns = await ScoringColumns.ProbeAsync(dataSource, cancellationToken);
        _snapshot = new Snapshot(columns, timeProvider.GetUtcNow());
        return columns;
    }

    private sealed record Snapshot(ScoringColumns Columns, DateTimeOffset CheckedAt);
}
