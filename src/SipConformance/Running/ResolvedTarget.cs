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

/// <summary>Builds the target of a run from settings, or from an embedded server's provisioned projects.</summary>
public static class Targets
{
    /// <summary>The configured remote target (SIPCONF_BASE_URL and credentials).</summary>
    public static ResolvedTarget Remote(Configuration.SuiteSettings s)
    {
        if (s.BaseUrl is null || s.ProjectId is null || s.ApiToken is null)
            throw new Configuration.SettingsException("a remote target needs SIPCONF_BASE_URL, SIPCONF_PROJECT_ID and SIPCONF_API_TOKEN");
        var primary = new TargetProject("primary", s.ProjectId, s.ApiToken, s.ResourceId, Configuration.SettingsLoader.ProjectId, Configuration.SettingsLoader.ApiToken);
        var second = s.HasSecondProject
            ? new TargetProject("second", s.SecondProjectId!, s.SecondApiToken!, null, Configuration.SettingsLoader.SecondProjectId, Configuration.SettingsLoader.SecondApiToken)
            : null;
        return new ResolvedTarget(s.BaseUrl, primary, second, Embedded: false);
    }

    /// <summary>A server on this machine whose projects the caller provisioned (the embedded reference server).</summary>
    public static ResolvedTarget Embedded(Uri baseUrl, string projectId, string token, string? resourceId, string? secondProjectId, string? secondToken) =>
        new(baseUrl,
            new TargetProject("primary", projectId, new Configuration.Secret(token), resourceId, Configuration.SettingsLoader.ProjectId, Configuration.SettingsLoader.ApiToken),
            secondProjectId is null || secondToken is null ? null
                : new TargetProject("second", secondProjectId, new Configuration.Secret(secondToken), null, Configuration.SettingsLoader.SecondProjectId, Configuration.SettingsLoader.SecondApiToken),
            Embedded: true);
}
