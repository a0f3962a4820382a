using System.Globalization;

namespace TaxiAspire.AppHost.Hosting;

/// <summary>
/// The producer's runtime controls as dashboard commands: each sends a POST to the producer's <c>/control/*</c>
/// endpoints (src/TaxiAspire.Producer/Control/ControlEndpoints.cs) over its "http" endpoint.
/// </summary>
internal static class ProducerCommands
{
    private const string Endpoint = "http";

    public static IResourceBuilder<ProjectResource> WithProducerControls(this IResourceBuilder<ProjectResource> producer)
    {
        ArgumentNullException.ThrowIfNull(producer);

        producer.WithHttpCommand("/control/pause", "Pause", Endpoint, "producer-pause", Options("Stop publishing simulated trips.", "Pause"));
        producer.WithHttpCommand("/control/resume", "Resume", Endpoint, "producer-resume", Options("Publish simulated trips again.", "Play"));

        producer.WithHttpCommand("/control/rate", "Change rate", Endpoint, "producer-rate", Options(
            "Set how many trips per second the simulator publishes.", "TopSpeed",
            new InteractionInput { Name = "tripsPerSecond", Label = "Trips per second", InputType = InputType.Number, Required = true, Value = "20" },
            request => $"tripsPerSecond={Number(request, "tripsPerSecond")}"));

        producer.WithHttpCommand("/control/burst", "Burst of trips", Endpoint, "producer-burst", Options(
            "Publish a burst of simulated trips at once (dirty at the configured share).", "Flash",
            new InteractionInput { Name = "count", Label = "Trips", InputType = InputType.Number, Required = true, Value = "1000" },
            request => $"count={Number(request, "count")}"));

        producer.WithHttpCommand("/control/burst", "Burst of dirty trips", Endpoint, "producer-burst-dirty", Options(
            "Publish a burst of deliberately invalid trips, one defect per reject reason in turn.", "Warning",
            new InteractionInput { Name = "count", Label = "Dirty trips", InputType = InputType.Number, Required = true, Value = "100" },
            request => $"count={Number(request, "count")}&dirty=true"));

        return producer;
    }

    private static HttpCommandOptions Options(
        string description, string icon, InteractionInput? argument = null, Func<HttpCommandRequestContext, string>? query = null) => new()
    {
        Method = HttpMethod.Post,
        Description = description,
        IconName = icon,
        Arguments = argument is null ? [] : [argument],
        PrepareRequest = query is null
            ? null
            : context =>
            {
                var uri = new UriBuilder(context.Request.RequestUri!) { Query = query(context) };
                context.Request.RequestUri = uri.Uri;
                return Task.CompletedTask;
            },
    };

    // The dashboard's number input may send "1000.0"; the endpoint wants invariant digits.
    private static string Number(HttpCommandRequestContext context, string name) =>
        context.Arguments.GetDouble(name).ToString(CultureInfo.InvariantCulture);
}
