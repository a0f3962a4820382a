var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("taxidb");
builder.AddStreamProcessor();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
