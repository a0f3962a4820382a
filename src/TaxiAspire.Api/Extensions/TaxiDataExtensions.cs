using TaxiAspire.Api.DeadLetters;
using TaxiAspire.Api.Stats;
using TaxiAspire.Api.Trips;
using TaxiAspire.Api.Windows;
using TaxiAspire.Trips.Windows;

namespace TaxiAspire.Api.Extensions;

internal static class TaxiDataExtensions
{
    /// <summary>taxidb (the AppHost's "taxidb" connection) and the read queries over it.</summary>
    public static IHostApplicationBuilder AddTaxiData(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("taxidb");
        builder.Services.AddSingleton(HoppingWindows.Default);
        builder.Services.AddSingleton<TripQueries>();
        builder.Services.AddSingleton<WindowQueries>();
        builder.Services.AddSingleton<StatsQueries>();
        builder.Services.AddSingleton<DeadLetterQueries>();
        return builder;
    }
}
