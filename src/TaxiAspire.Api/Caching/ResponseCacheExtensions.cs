namespace TaxiAspire.Api.Caching;

internal static class ResponseCacheExtensions
{
    /// <summary>
    /// Responses serialized once and refreshed ahead in the background (at most a second old): windows and stats
    /// change at most once per processor batch, so pollers stay off the database and off the serializer.
    /// </summary>
    public static IHostApplicationBuilder AddResponseCaches(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResponseJsonSerializer>();
        builder.Services.AddSingleton<WindowResponseCache>();
        builder.Services.AddSingleton<StatsResponseCache>();
        return builder;
    }
}
