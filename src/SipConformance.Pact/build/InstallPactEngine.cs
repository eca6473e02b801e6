// Two things in one file, because an MSBuild inline task (RoslynCodeTaskFactory) compiles exactly one
// source file:
// - PactPlatforms: which npm packages hold the Pact engine for which .NET runtime identifier. The
//   SipConformance.Pact assembly compiles this part too (SIPCONF_PACT_LIBRARY), so the run time
//   (EngineLocator) and the unit tests use the very mapping the build uses.
// - SipConfInstallPactEngine, the MSBuild task (see PactEngine.targets; not part of the assembly).
//   It installs the engine of the building machine's platform (the FFI library and the pact CLI)
//   from npm into one folder, once: a lock file serialises concurrent builds, and a marker file
//   written last (atomically) says the folder is complete. With RuntimesDirectory set (the tool's
//   pack) it also fetches every supported platform's library into runtimes/{rid}/native/.
// It must compile against netstandard2.0 (the inline task) as well as net10.0 with nullable on.
#nullable disable
using System;
using System.Collections.Generic;
using System.Linq;
#if !SIPCONF_PACT_LIBRARY
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SipConformance.Pact.Engine;
#endif

namespace SipConformance.Pact.Engine
{
    /// <summary>One platform the Pact engine is published for on npm, as a .NET runtime identifier sees it.</summary>
    public sealed class PactPlatform
    {
        internal PactPlatform(string runtimeIdentifier, string npmPlatform, string libraryInPackage, string cliNpmPlatform, string cliInPackage)
        {
            RuntimeIdentifier = runtimeIdentifier;
            CorePackage = "@pact-foundation/pact-core-" + npmPlatform;
            LibraryInPackage = libraryInPackage;
            CliPackage = cliNpmPlatform == null ? null : "@pact-foundation/pact-cli-" + cliNpmPlatform;
            CliInPackage = cliInPackage;
        }

        /// <summary>The .NET runtime identifier (portable form: linux-x64, linux-musl-arm64, osx-arm64, win-x64).</summary>
        public string RuntimeIdentifier { get; }
        /// <summary>The npm package of the FFI library (no version), e.g. @pact-foundation/pact-core-linux-x64-glibc.</summary>
        public string CorePackage { get; }
        /// <summary>The npm package spec with its version, for npm install / npm pack.</summary>
        public string CoreSpec => CorePackage + "@" + PactPlatforms.CoreVersion;
        /// <summary>Where the library sits inside the core package (below package/).</summary>
        public string LibraryInPackage { get; }
        /// <summary>The npm package of the pact CLI (no version), or null: none is published for this platform.</summary>
        public string CliPackage { get; }
        /// <summary>The CLI package spec with its version, or null.</summary>
        public string CliSpec => CliPackage == null ? null : CliPackage + "@" + PactPlatforms.CliVersion;
        /// <summary>Where the CLI sits inside the CLI package (below package/), or null.</summary>
        public string CliInPackage { get; }

        /// <summary>The library's file name as the runtime looks for "pact_ffi" on this platform.</summary>
        public string LibraryFile => RuntimeIdentifier.StartsWith("win-", StringComparison.Ordinal) ? "pact_ffi.dll"
            : RuntimeIdentifier.StartsWith("osx-", StringComparison.Ordinal) ? "libpact_ffi.dylib"
            : "libpact_ffi.so";
        /// <summary>The CLI's file name on this platform.</summary>
        public string CliFile => RuntimeIdentifier.StartsWith("win-", StringComparison.Ordinal) ? "pact.exe" : "pact";
        /// <summary>Where a package holds this platform's library (the NuGet layout PactNet uses too).</summary>
        public string NativePath => "runtimes/" + RuntimeIdentifier + "/native/" + LibraryFile;

        public override string ToString() => RuntimeIdentifier;
    }

    /// <summary>
    /// The platforms the Pact engine exists for (the npm packages of @pact-foundation/pact-core
    /// 20.2.0 and @pact-foundation/pact-cli 18.1.2), keyed by .NET runtime identifier.
    /// </summary>
    public static class PactPlatforms
    {
        public const string CoreVersion = "20.2.0";
        public const string CliVersion = "18.1.2";

        /// <summary>Every supported platform. The musl builds have no pact CLI on npm (stub and broker publishing need one).</summary>
        public static readonly IReadOnlyList<PactPlatform> Supported = new[]
        {
            new PactPlatform("linux-x64", "linux-x64-glibc", "prebuilds/linux-x64/libpact_ffi.so", "linux-x64", "standalone/pact"),
            new PactPlatform("linux-arm64", "linux-arm64-glibc", "prebuilds/linux-arm64/libpact_ffi.so", "linux-arm64", "standalone/pact"),
            new PactPlatform("linux-musl-x64", "linux-x64-musl", "prebuilds/linux-x64/libpact_ffi_musl.so", null, null),
            new PactPlatform("linux-musl-arm64", "linux-arm64-musl", "prebuilds/linux-arm64/libpact_ffi_musl.so", null, null),
            new PactPlatform("osx-x64", "darwin-x64", "prebuilds/darwin-x64/libpact_ffi.dylib", "darwin-x64", "standalone/pact"),
            new PactPlatform("osx-arm64", "darwin-arm64", "prebuilds/darwin-arm64/libpact_ffi.dylib", "darwin-arm64", "standalone/pact"),
            new PactPlatform("win-x64", "windows-x64", "prebuilds/win32-x64/pact_ffi.dll", "windows-x64", "standalone/pact.exe"),
        };

        /// <summary>The platform of a runtime identifier (case-insensitive), or null when the engine is not published for it.</summary>
        public static PactPlatform Find(string runtimeIdentifier) =>
            string.IsNullOrWhiteSpace(runtimeIdentifier) ? null
                : Supported.FirstOrDefault(p => string.Equals(p.RuntimeIdentifier, runtimeIdentifier.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The platform of a runtime identifier; throws <see cref="PlatformNotSupportedException"/> with <see cref="UnsupportedMessage"/>.</summary>
        public static PactPlatform Resolve(string runtimeIdentifier) =>
            Find(runtimeIdentifier) ?? throw new PlatformNotSupportedException(UnsupportedMessage(runtimeIdentifier));

        /// <summary>What to tell the user of a platform without an engine package.</summary>
        public static string UnsupportedMessage(string runtimeIdentifier) =>
            "the Pact engine is not published for the runtime identifier '" + (runtimeIdentifier ?? "") + "'; the supported ones are "
            + string.Join(", ", Supported.Select(p => p.RuntimeIdentifier))
            + ". Elsewhere put the engine's library (lib/) and pact CLI (bin/) in a folder named by SIPCONF_PACT_ENGINE_DIR, or build with -p:SipConfSkipPactEngine=true (the Pact checks then fail with an engine error).";
    }
}

#if !SIPCONF_PACT_LIBRARY
public sealed class SipConfInstallPactEngine : Task
{
    /// <summary>Where the engine goes (lib/{library}, bin/{cli}, the marker).</summary>
    [Required] public string EngineDirectory { get; set; } = "";
    /// <summary>The building machine's runtime identifier ($(NETCoreSdkRuntimeIdentifier)), mapped by PactPlatforms.</summary>
    [Required] public string RuntimeIdentifier { get; set; } = "";
    /// <summary>File name of the marker that says which versions are installed (it names the versions of PactPlatforms).</summary>
    [Required] public string MarkerName { get; set; } = "";
    /// <summary>When set: instead, fetch every supported platform's library into {RuntimesDirectory}/runtimes/{rid}/native/ (the tool's pack).</summary>
    public string RuntimesDirectory { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 600;

    public override bool Execute()
    {
        if (!MarkerName.Contains(PactPlatforms.CoreVersion) || !MarkerName.Contains(PactPlatforms.CliVersion))
        {
            Log.LogError("SIPCONF0004: the marker {0} of PactEngine.targets does not name the versions of PactPlatforms ({1}, {2}); change both together.", MarkerName, PactPlatforms.CoreVersion, PactPlatforms.CliVersion);
            return false;
        }
        var deadline = DateTime.UtcNow.AddSeconds(TimeoutSeconds);
        if (!string.IsNullOrEmpty(RuntimesDirectory)) return FetchEveryRuntime(Path.GetFullPath(RuntimesDirectory), deadline);

        var platform = PactPlatforms.Find(RuntimeIdentifier);
        if (platform == null)
        {
            // Not an error: everything but the Pact checks builds and runs without the engine.
            Log.LogMessage(MessageImportance.High, "SipConformance.Pact: " + PactPlatforms.UnsupportedMessage(RuntimeIdentifier));
            return true;
        }
        var dir = Path.GetFullPath(EngineDirectory);
        var marker = Path.Combine(dir, MarkerName);
        var expected = platform.RuntimeIdentifier + "\n" + platform.CoreSpec + "\n" + (platform.CliSpec ?? "(no CLI)") + "\n";
        if (Installed(dir, marker, expected, platform)) return true;
        Directory.CreateDirectory(dir);

        using (var gate = Lock(Path.Combine(dir, ".install.lock"), deadline))
        {
            if (gate == null)
            {
                Log.LogError("SIPCONF0001: another build has held {0} for {1} s; remove it if no build is running.", Path.Combine(dir, ".install.lock"), TimeoutSeconds);
                return false;
            }
            if (Installed(dir, marker, expected, platform)) return true; // a parallel build finished the job while we waited

            var specs = platform.CliSpec == null ? new[] { platform.CoreSpec } : new[] { platform.CoreSpec, platform.CliSpec };
            Log.LogMessage(MessageImportance.High, "Installing the Pact engine for {0} ({1}) with npm into {2}", platform.RuntimeIdentifier, string.Join(", ", specs), dir);
            var staging = Path.Combine(dir, "npm-staging");
            if (!Fetch(staging, specs, deadline)) return false;
            var library = Path.Combine(staging, "package-" + 0, Unix(platform.LibraryInPackage));
            var cli = platform.CliSpec == null ? null : Path.Combine(staging, "package-" + 1, Unix(platform.CliInPackage));
            if (!File.Exists(library) || (cli != null && !File.Exists(cli)))
            {
                Log.LogError("SIPCONF0003: npm fetched the packages but {0} or {1} is missing.", library, cli);
                return false;
            }
            Place(library, Path.Combine(dir, "lib", platform.LibraryFile));
            if (cli != null)
            {
                Place(cli, Path.Combine(dir, "bin", platform.CliFile));
                if (!platform.RuntimeIdentifier.StartsWith("win-", StringComparison.Ordinal))
                    Run("chmod", new[] { "755", Path.Combine(dir, "bin", platform.CliFile) }, dir, deadline, out _);
            }
            else Log.LogMessage(MessageImportance.High, "No pact CLI is published for {0}: the pact stub and broker publishing are not available there.", platform.RuntimeIdentifier);
            Directory.Delete(staging, true);
            WriteMarker(marker, expected);
            Log.LogMessage(MessageImportance.High, "Pact engine ready in {0}", dir);
            return true;
        }
    }

    /// <summary>Every supported platform's library into {root}/runtimes/{rid}/native/ (npm pack: no install, so no platform check).</summary>
    private bool FetchEveryRuntime(string root, DateTime deadline)
    {
        var marker = Path.Combine(root, MarkerName);
        var expected = string.Join("\n", PactPlatforms.Supported.Select(p => p.NativePath + " " + p.CoreSpec)) + "\n";
        if (File.Exists(marker) && File.ReadAllText(marker) == expected
            && PactPlatforms.Supported.All(p => File.Exists(Path.Combine(root, Unix(p.NativePath))))) return true;
        Directory.CreateDirectory(root);
        using (var gate = Lock(Path.Combine(root, ".fetch.lock"), deadline))
        {
            if (gate == null)
            {
                Log.LogError("SIPCONF0001: another build has held {0} for {1} s; remove it if no build is running.", Path.Combine(root, ".fetch.lock"), TimeoutSeconds);
                return false;
            }
            Log.LogMessage(MessageImportance.High, "Fetching the Pact engine library of every supported platform ({0}) with npm into {1}",
                string.Join(", ", PactPlatforms.Supported.Select(p => p.RuntimeIdentifier)), root);
            var staging = Path.Combine(root, "npm-staging");
            var specs = PactPlatforms.Supported.Select(p => p.CoreSpec).ToArray();
            if (!Fetch(staging, specs, deadline)) return false;
            for (var i = 0; i < specs.Length; i++)
            {
                var platform = PactPlatforms.Supported[i];
                var library = Path.Combine(staging, "package-" + i, Unix(platform.LibraryInPackage));
                if (!File.Exists(library))
                {
                    Log.LogError("SIPCONF0003: npm fetched {0} but {1} is missing.", platform.CoreSpec, library);
                    return false;
                }
                Place(library, Path.Combine(root, Unix(platform.NativePath)));
            }
            Directory.Delete(staging, true);
            WriteMarker(marker, expected);
            return true;
        }
    }

    /// <summary>`npm pack` each spec into staging and unpack it into staging/package-{i}/ (npm pack skips npm install's os/cpu/libc check).</summary>
    private bool Fetch(string staging, string[] specs, DateTime deadline)
    {
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        Directory.CreateDirectory(staging);
        for (var i = 0; i < specs.Length; i++)
        {
            var packDir = Path.Combine(staging, "tarball-" + i);
            Directory.CreateDirectory(packDir);
            var npmOutput = Run("npm", new[] { "pack", "--pack-destination", packDir, "--loglevel=error", specs[i] }, packDir, deadline, out var exit);
            var tarball = exit == 0 ? Directory.GetFiles(packDir, "*.tgz").FirstOrDefault() : null;
            if (tarball == null)
            {
                Log.LogError("SIPCONF0002: npm could not fetch {0} (exit {1}). It needs npm and access to the npm registry; or put the engine's library and pact CLI under lib/ and bin/ of a folder named by SIPCONF_PACT_ENGINE_DIR. npm said: {2}", specs[i], exit, npmOutput.Trim());
                return false;
            }
            var unpacked = Path.Combine(staging, "unpacked-" + i);
            Directory.CreateDirectory(unpacked);
            var tarOutput = Run("tar", new[] { "-xzf", tarball, "-C", unpacked }, staging, deadline, out exit);
            if (exit != 0)
            {
                Log.LogError("SIPCONF0005: tar could not unpack {0} (exit {1}): {2}", tarball, exit, tarOutput.Trim());
                return false;
            }
            Directory.Move(Path.Combine(unpacked, "package"), Path.Combine(staging, "package-" + i));
        }
        return true;
    }

    private static string Unix(string relative) => relative.Replace('/', Path.DirectorySeparatorChar);

    private static void WriteMarker(string marker, string content)
    {
        var temp = marker + ".tmp";
        File.WriteAllText(temp, content);
        if (File.Exists(marker)) File.Delete(marker);
        File.Move(temp, marker);
    }

    private static bool Installed(string dir, string marker, string expected, PactPlatform platform) =>
        File.Exists(marker) && File.ReadAllText(marker) == expected
        && File.Exists(Path.Combine(dir, "lib", platform.LibraryFile))
        && (platform.CliSpec == null || File.Exists(Path.Combine(dir, "bin", platform.CliFile)));

    private static void Place(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to));
        var temp = to + ".tmp";
        File.Copy(from, temp, true);
        if (File.Exists(to)) File.Delete(to);
        File.Move(temp, to);
    }

    /// <summary>An exclusive lock on a file (flock on Linux; released by the OS if the build dies).</summary>
    private FileStream Lock(string path, DateTime deadline)
    {
        var told = false;
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException)
            {
                if (DateTime.UtcNow > deadline) return null;
                if (!told)
                {
                    Log.LogMessage(MessageImportance.High, "Waiting for another build that is installing the Pact engine ({0})", path);
                    told = true;
                }
                Thread.Sleep(250);
            }
        }
    }

    // netstandard2.0 (what the task is compiled against) has no ProcessStartInfo.ArgumentList.
    private static string Quote(string arg) =>
        arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0 ? arg
            : "\"" + arg.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private string Run(string file, string[] args, string workingDirectory, DateTime deadline, out int exitCode)
    {
        if (file == "npm" && Path.DirectorySeparatorChar == '\\')
        {
            // On Windows npm is npm.cmd, which only cmd.exe starts.
            args = new[] { "/d", "/s", "/c", "npm" }.Concat(args).ToArray();
            file = "cmd.exe";
        }
        var info = new ProcessStartInfo(file, string.Join(" ", Array.ConvertAll(args, Quote)))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PACT_DO_NOT_TRACK"] = "true";
        info.Environment["npm_config_update_notifier"] = "false";
        info.Environment["npm_config_fund"] = "false";
        Process process;
        try { process = Process.Start(info); }
        catch (Exception e)
        {
            exitCode = -1;
            return "could not start " + file + ": " + e.Message;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var wait = (int)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds);
            if (!process.WaitForExit(wait))
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                exitCode = -2;
                return file + " did not finish within " + TimeoutSeconds + " s";
            }
            process.WaitForExit();
            exitCode = process.ExitCode;
            return stdout.Result + stderr.Result;
        }
    }
}
#endif
