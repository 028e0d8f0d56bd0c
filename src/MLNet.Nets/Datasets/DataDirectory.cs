namespace MLNet.Nets.Datasets;

/// <summary>
/// Finds the shared data sets (housing, mnist, photos, images-misc). The one resolver that tests, samples and the tool use.
/// </summary>
/// <remarks>
/// Order: an explicit path; then the <c>MLNET_NETS_DATA</c> environment variable; then <c>../shared/data</c> beside the
/// repository root (found by walking up from the current directory and from the application's base directory).
/// </remarks>
public static class DataDirectory
{
    /// <summary>The environment variable that names the data folder.</summary>
    public const string EnvironmentVariable = "MLNET_NETS_DATA";

    /// <summary>
    /// Returns the data root folder.
    /// </summary>
    /// <param name="explicitPath">A folder given by the user; used as is when not null.</param>
    /// <exception cref="DirectoryNotFoundException">No candidate folder exists; the message lists where it looked.</exception>
    public static string Resolve(string? explicitPath = null)
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates(explicitPath))
        {
            tried.Add(candidate);
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            if (explicitPath is not null) break;
        }
        throw new DirectoryNotFoundException(
            $"The data folder was not found. Tried: {string.Join("; ", tried)}. " +
            $"Pass a path, or set {EnvironmentVariable} to the folder that holds housing/, mnist/, photos/.");
    }

    /// <summary>Returns the path of <paramref name="relative"/> (e.g. "housing/housing.txt") under the data root.</summary>
    /// <exception cref="FileNotFoundException">The file or folder does not exist.</exception>
    public static string Find(string relative, string? explicitRoot = null)
    {
        string path = Path.Combine(Resolve(explicitRoot), relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{relative}' was not found at '{path}'.", path);
        }
        return path;
    }

    private static IEnumerable<string> Candidates(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            yield return explicitPath;
            yield break;
        }
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) yield return env;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, "MLNet.Nets.sln")))
                {
                    yield return Path.Combine(dir.FullName, "..", "shared", "data");
                    break;
                }
            }
        }
    }
}
