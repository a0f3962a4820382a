using Confluent.Kafka;
using TaxiAspire.Producer.Publishing;
using TaxiAspire.Trips.Contract;
using TaxiAspire.Trips.Validation;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

builder.Services.AddOptions<TripPublisherOptions>()
    .BindConfiguration(TripPublisherOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddOptions<TripValidationOptions>()
    .BindConfiguration(TripValidationOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

builder.AddKafkaProducer<string, byte[]>("kafka", configureConfig: config =>
{
    // Idempotence: a retried send never duplicates a trip in the log.
    config.EnableIdempotence = true;
    config.Acks = Acks.All;
    config.LingerMs = 5;
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new TripClock(
    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TripValidationOptions>>().Value.TimeZone));
builder.Services.AddHostedService<TripPublisher>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
