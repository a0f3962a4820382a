using Npgsql;
using TaxiAspire.LocalInfrastructure.Postgres;

namespace TaxiAspire.IntegrationTests.Infrastructure;

/// <summary>The local-mode PostgreSQL: a throwaway server from the machine's binaries, gone without a trace after dispose.</summary>
public sealed class LocalPostgresServerTests
{
    [Fact]
    public async Task Throwaway_server_accepts_connections_and_leaves_no_process_or_folder_behind()
    {
        var server = LocalPostgresServer.Create(LocalPostgresOptions.Throwaway());
        int? postmaster;
        try
        {
            await server.StartAsync(TestContext.Current.CancellationToken);
            postmaster = server.ReadPostmasterProcessId();

            await using (var connection = new NpgsqlConnection(server.ConnectionString))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var command = new NpgsqlCommand("SELECT current_setting('server_encoding') || ' ' || current_setting('fsync')", connection);
                Assert.Equal("UTF8 off", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
            }

            Assert.NotNull(postmaster);
            Assert.True(ProcessExists(postmaster.Value));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DisposeAsync();
        }

        Assert.False(ProcessExists(postmaster.Value), $"postmaster {postmaster} still runs after dispose");
        Assert.False(Directory.Exists(server.RootDirectory));
    }

    [Fact]
    public async Task Persistent_server_reuses_its_password_and_data_on_a_second_run()
    {
        var root = Path.Combine(Path.GetTempPath(), "taxiaspire-pg-persist-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string firstPassword;
            await using (var first = LocalPostgresServer.Create(new LocalPostgresOptions { RootDirectory = root, Fsync = false }))
            {
                await first.StartAsync(TestContext.Current.CancellationToken);
                firstPassword = first.Password;
                await ExecuteAsync(first.ConnectionString, "CREATE DATABASE kept");
                NpgsqlConnection.ClearAllPools();
            }

            await using var second = LocalPostgresServer.Create(new LocalPostgresOptions { RootDirectory = root, Fsync = false });
            await second.StartAsync(TestContext.Current.CancellationToken);
            Assert.Equal(firstPassword, second.Password);
            await ExecuteAsync(second.GetConnectionString("kept"), "SELECT 1");
            NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Foreground_command_runs_postgres_on_the_data_folder_as_a_non_root_user()
    {
        var server = LocalPostgresServer.Create(new LocalPostgresOptions { RootDirectory = "/var/tmp/taxiaspire-cmd", Port = 6543 });
        var command = await server.GetForegroundCommandAsync(TestContext.Current.CancellationToken);

        Assert.EndsWith("6543", string.Join(' ', command.Arguments), StringComparison.Ordinal);
        Assert.Contains("/var/tmp/taxiaspire-cmd/data", command.Arguments);
        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            Assert.NotEqual("postgres", Path.GetFileName(command.FileName));
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static bool ProcessExists(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie (state Z) has exited and only waits for init to reap it.
            var stat = $"/proc/{pid}/stat";
            return File.Exists(stat) && File.ReadAllText(stat).Split(") ")[^1][0] != 'Z';
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
