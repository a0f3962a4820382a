using TaxiAspire.Producer.Cli;

namespace TaxiAspire.Producer;

/// <summary>
/// The entry point. Named, not top-level statements: a top-level <c>Program</c> would clash with the other services'
/// in test projects that reference several of them.
/// </summary>
internal static class ProducerProgram
{
    /// <summary>With a verb (simulate, replay) a command-line tool; without one the AppHost's "producer" service.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (ProducerCli.IsCommandLine(args))
        {
            return await ProducerCli.RunAsync(args);
        }

        var app = ProducerService.Build(args);
        await app.RunAsync();
        return 0;
    }
}
