using Npgsql;

namespace TaxiAspire.Api.Models;

/// <summary>
/// A model version's error on the newest stored trips it scored, beside a constant baseline's on the same trips
/// (the version's training median fare, which the trainer's promotion gate also judged it against).
/// </summary>
public sealed record LiveBaselineComparison(string ModelVersion, long ScoredTrips, double? ModelMae, double? BaselineMae)
{
    /// <summary>
    /// The one rule for "below the baseline on live trips": over at least <paramref name="minScoredTrips"/> trips the
    /// model's mean absolute error is no lower than always predicting the baseline fare, i.e. it predicts no better
    /// than a constant any more.
    /// </summary>
    public bool IsBelowBaseline(long minScoredTrips) =>
        ScoredTrips >= minScoredTrips && ModelMae is { } model && BaselineMae is { } baseline && model >= baseline;
}

/// <summary>Live accuracy read from the trips the processor stored with their predictions.</summary>
public sealed class LiveModelQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Compares <paramref name="modelVersion"/> with a constant <paramref name="baselineFare"/> over those of the newest
    /// <paramref name="recentTrips"/> stored trips that the version scored. The newest trips by storage order come
    /// from the ingest_seq index, so the cost is bounded whatever the table's size.
    /// </summary>
    public async Task<LiveBaselineComparison> CompareWithBaselineAsync(string modelVersion, double baselineFare, int recentTrips, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*), avg(abs(fare_amount - prediction))::float8, avg(abs(fare_amount - @baseline))::float8
            FROM (SELECT fare_amount, prediction, model_version FROM trips ORDER BY ingest_seq DESC LIMIT @recent) newest
            WHERE model_version = @version AND prediction IS NOT NULL
            """);
        command.Parameters.AddWithValue("baseline", (decimal)baselineFare);
        command.Parameters.AddWithValue("recent", recentTrips);
        command.Parameters.AddWithValue("version", modelVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LiveBaselineComparison(
            modelVersion,
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetDouble(1),
            reader.IsDBNull(2) ? null : reader.GetDouble(2));
    }
}
