var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
// Each batch runs the same few statements: prepared once per connection, PostgreSQL stops parsing and planning them
// on every batch, which at a trickle of small batches is much of a commit's time (docs/processor.md).
builder.AddNpgsqlDataSource("taxidb", configureDataSourceBuilder: dataSource => dataSource.ConnectionStringBuilder.MaxAutoPrepare = 16);
builder.AddStreamProcessor();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
