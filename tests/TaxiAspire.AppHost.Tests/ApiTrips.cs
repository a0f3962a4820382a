using System.Net.Http.Json;
using System.Text.Json;

namespace TaxiAspire.AppHost.Tests;

/// <summary>What the API serves of the stored trips, read as a user's client reads it.</summary>
internal static class ApiTrips
{
    /// <summary>
    /// Waits until <c>/api/trips</c> lists at least <paramref name="atLeast"/> trips (newest first, at most
    /// <paramref name="limit"/>) and returns that page: the pipeline carried trips from Kafka to the API.
    /// </summary>
    public static Task<JsonElement> WaitForAsync(HttpClient http, int atLeast, int limit, TimeSpan deadline, CancellationToken ct) =>
        Poll.UntilAsync(async () =>
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/trips?limit={limit}", ct);
            return page.GetArrayLength() >= atLeast ? page : (JsonElement?)null;
        }, deadline, ct);
}
