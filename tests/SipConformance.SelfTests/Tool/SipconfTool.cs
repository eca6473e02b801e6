using FluentAssertions;
using SipConformance.SelfTests.Safety;

namespace SipConformance.SelfTests.Tool;

/// <summary>
/// The `sipconf` .NET tool as a server team gets it: `dotnet pack src/SipConformance.Cli`, then
/// `dotnet tool install --tool-path ... --add-source ...` from that local package (once per test
/// process, into a temporary folder with its own NuGet package cache, so a package of the same
/// version cached by an earlier build is never what gets installed).
/// </summary>
public static class SipconfTool
{
    public const string PackageId = "SipConformance.Tool";

    private static readonly Lazy<Task<(string Exe, string Package, string Version)>> Installed = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of the installed `sipconf` command.</summary>
    public static async Task<string> ExecutableAsync() => (await Installed.Value).Exe;

    /// <summary>The .nupkg the tool was installed from, and its version.</summary>
    public static async Task<(string Path, string Version)> PackageAsync()
    {
        var installed = await Installed.Value;
        return (installed.Package, installed.Version);
    }

    private static async Task<(string Exe, string Package, string Version)> InstallAsync()
    {
        var dir = SafetyRun.TempDirectory("tool");
        var feed = Path.Combine(dir, "nupkg");
        // --no-build: the solution's build made the CLI beside this assembly (it is referenced);
        // packing must not rebuild what other test processes are running from.
        var pack = await ChildProcess.RunAsync(ChildProcess.StartInfo("dotnet",
            ["pack", Path.Combine(ChildProcess.Root, "src", "SipConformance.Cli", "SipConformance.Cli.csproj"), "--no-build", "--configuration", ChildProcess.Configuration, "--output", feed],
            new Dictionary<string, string?>()), TimeSpan.FromMinutes(5), "pack");
        pack.Code.Should().Be(0, "dotnet pack of the CLI succeeds:\n" + SafetyRun.Clip(pack.All, 4000));
        var package = Directory.EnumerateFiles(feed, PackageId + ".*.nupkg").Should().ContainSingle("one tool package was packed").Subject;
        var version = Path.GetFileNameWithoutExtension(package)[(PackageId.Length + 1)..];

        var tools = Path.Combine(dir, "tools");
        var install = await ChildProcess.RunAsync(ChildProcess.StartInfo("dotnet",
            ["tool", "install", "--tool-path", tools, "--add-source", feed, PackageId, "--version", version],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(dir, "packages") }), TimeSpan.FromMinutes(5), "tool install");
        install.Code.Should().Be(0, "dotnet tool install from the local package succeeds:\n" + SafetyRun.Clip(install.All, 4000));
        var exe = Path.Combine(tools, "sipconf");
        File.Exists(exe).Should().BeTrue($"the tool's command is {exe}");
        return (exe, package, version);
    }

    /// <summary>Runs the installed tool in <paramref name="workingDirectory"/> (outside the clone) with only the given environment.</summary>
    public static async Task<ChildResult> RunAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, string label, params string[] args)
    {
        var exe = await ExecutableAsync();
        return await ChildProcess.RunAsync(ChildProcess.StartInfo(exe, args, environment, workingDirectory), TimeSpan.FromMinutes(4), label);
    }
}
