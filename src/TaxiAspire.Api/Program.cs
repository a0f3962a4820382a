using Microsoft.Extensions.DependencyInjection.Extensions;
using TaxiAspire.Api.Caching;
using TaxiAspire.Api.Components;
using TaxiAspire.Api.Endpoints;
using TaxiAspire.Api.Extensions;
using TaxiAspire.Api.Models;
using TaxiAspire.Api.Monitoring;
using TaxiAspire.Api.Security;
using TaxiAspire.Api.Training;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.TryAddSingleton(TimeProvider.System);

builder.AddTaxiData();
builder.AddFareModels();
builder.AddPipelineMonitoring();
builder.AddTrainerClient();
builder.AddResponseCaches();
builder.AddApiContract();
builder.AddWebSecurity();
builder.AddDashboard();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebSecurity();

app.MapDefaultEndpoints();
app.MapApiReference();

app.MapTripEndpoints();
app.MapWindowEndpoints();
app.MapStatsEndpoints();
app.MapModelEndpoints();
app.MapPredictEndpoints();
app.MapDeadLetterEndpoints();
app.MapAdminEndpoints();

app.MapDashboard();

app.Run();
