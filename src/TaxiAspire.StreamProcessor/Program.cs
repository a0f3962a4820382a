using TaxiAspire.StreamProcessor.Scoring;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");
builder.AddStreamProcessor();
builder.AddTripScoring();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
