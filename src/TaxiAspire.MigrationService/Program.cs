using TaxiAspire.MigrationService;

// A one-shot resource: applies taxidb's migrations, then exits. The services wait for it to complete.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<MigrationOptions>()
    .Configure(o => o.ConnectionString = builder.Configuration.GetConnectionString(MigrationOptions.ConnectionName) ?? string.Empty)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddHostedService<MigrationWorker>();

await builder.Build().RunAsync();
