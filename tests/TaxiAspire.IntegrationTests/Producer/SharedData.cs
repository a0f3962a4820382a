namespace TaxiAspire.IntegrationTests.Producer;

/// <summary>Finds the project's shared/ folder: beside the repository (CI's layout) or above it (a developer's).</summary>
internal static class SharedData
{
    public static string File(params string[] parts)
    {
        var relative = Path.Combine(["shared", .. parts]);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (System.IO.File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException($"{relative} was not found beside or above {AppContext.BaseDirectory}.");
    }
}
