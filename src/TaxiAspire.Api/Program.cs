using TaxiAspire.Api;
using TaxiAspire.Api.Endpoints;
using TaxiAspire.Data.Queries;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");
builder.Services.AddSingleton<TripQueries>();
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapGroup("/api").MapTripEndpoints();

app.Run();
