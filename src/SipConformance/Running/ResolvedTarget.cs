using SipConformance.Target;

namespace SipConformance.Running;

/// <summary>The target a run aims at, with the projects it acts as (the embedded server's, or the configured ones).</summary>
public sealed record ResolvedTarget(Uri BaseUrl, TargetProject Primary, TargetProject? Second, bool Embedded)
{
    public string? ResourceId => Primary.ResourceId;
}

/// <summary>Where the repository's folders are, for reports and pacts.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding SipConformance.sln above the current or the assembly's folder; null when there is none.</summary>
    public static string? Root { get; } = Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory);

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SipConformance.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>A path relative to the repository root (or the current folder outside one); absolute paths stay.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root ?? Environment.CurrentDirectory, path));
}
