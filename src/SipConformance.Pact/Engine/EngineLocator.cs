using System.Reflection;
using System.Runtime.InteropServices;

namespace SipConformance.Pact.Engine;

/// <summary>
/// Finds the Pact engine (lib/{library} and bin/{cli}, named for this platform by <see cref="PactPlatforms"/>)
/// that build/PactEngine.targets installed.
/// In order: SIPCONF_PACT_ENGINE_DIR; the application folder (when someone copied the files next
/// to the assembly); a <c>.pact</c> folder found by walking up from the application folder; the
/// folder recorded in this assembly when it was built.
/// </summary>
public static class EngineLocator
{
    public const string EngineDirVariable = "SIPCONF_PACT_ENGINE_DIR";
    /// <summary>This process's platform as the engine's packages know it, or null where none is published.</summary>
    public static PactPlatform? Platform { get; } = PactPlatforms.Find(RuntimeInformation.RuntimeIdentifier);

    /// <summary>The FFI library's file name here (libpact_ffi.so, libpact_ffi.dylib, pact_ffi.dll).</summary>
    public static string LibraryFile => Platform?.LibraryFile ?? "libpact_ffi.so";

    /// <summary>The pact CLI's file name here (pact, pact.exe).</summary>
    public static string CliFile => Platform?.CliFile ?? "pact";
    public const string RepositoryMarker = "SipConformance.sln";

    private static readonly Lazy<string> Library = new(() => Find(LibraryFile, "lib"));
    private static readonly Lazy<string> Cli = new(() => Find(CliFile, "bin"));

    /// <summary>The full path of the FFI library; throws <see cref="PactEngineException"/> with every place tried.</summary>
    public static string LibraryPath => Library.Value;

    /// <summary>The full path of the pact CLI; throws <see cref="PactEngineException"/> with every place tried.</summary>
    public static string CliPath => Cli.Value;

    /// <summary>The folder holding SipConformance.sln above <paramref name="start"/> (default: the application folder), or null.</summary>
    public static string? RepositoryRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RepositoryMarker)))
                return dir.FullName;
        return null;
    }

    /// <summary>The places searched for a file, in order (for messages and tests).</summary>
    public static IReadOnlyList<string> Candidates(string file, string subfolder, string? environmentDir, string baseDirectory, string? recordedDir)
    {
        var list = new List<string>();
        if (!string.IsNullOrWhiteSpace(environmentDir))
        {
            list.Add(Path.Combine(environmentDir, subfolder, file));
            list.Add(Path.Combine(environmentDir, file));
        }
        list.Add(Path.Combine(baseDirectory, file));
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
            list.Add(Path.Combine(dir.FullName, ".pact", subfolder, file));
        if (!string.IsNullOrWhiteSpace(recordedDir))
            list.Add(Path.Combine(recordedDir, subfolder, file));
        return list;
    }

    private static string Find(string file, string subfolder)
    {
        var recorded = typeof(EngineLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SipConformance.PactEngineDirectory")?.Value;
        var environmentDir = Environment.GetEnvironmentVariable(EngineDirVariable);
        var candidates = Candidates(file, subfolder, environmentDir, AppContext.BaseDirectory, recorded);
        // With SIPCONF_PACT_ENGINE_DIR set, only that folder counts: a wrong override must not silently fall back.
        var considered = string.IsNullOrWhiteSpace(environmentDir) ? candidates : candidates.Take(2).ToList();
        var platform = Platform is null ? " " + PactPlatforms.UnsupportedMessage(RuntimeInformation.RuntimeIdentifier) : "";
        return considered.FirstOrDefault(File.Exists)
            ?? throw new PactEngineException(
                $"the Pact engine file '{file}' was not found. Build the solution once with npm on the PATH (build/PactEngine.targets installs the engine into <repository>/.pact), " +
                $"or set {EngineDirVariable} to a folder holding {subfolder}/{file}.{platform} Looked in: {string.Join(", ", considered.Distinct())}");
    }
}
