// An MSBuild task (compiled by RoslynCodeTaskFactory, see PactEngine.targets; not part of the
// SipConformance.Pact assembly). It installs the Pact engine (libpact_ffi.so and the pact CLI)
// from npm into one folder, once: a lock file serialises concurrent builds, and a marker file
// written last (atomically) says the folder is complete.
using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class SipConfInstallPactEngine : Task
{
    /// <summary>Where the engine goes (lib/libpact_ffi.so, bin/pact, the marker).</summary>
    [Required] public string EngineDirectory { get; set; } = "";
    /// <summary>npm spec of the FFI package, e.g. @pact-foundation/pact-core-linux-x64-glibc@20.2.0.</summary>
    [Required] public string CorePackage { get; set; } = "";
    /// <summary>npm spec of the CLI package, e.g. @pact-foundation/pact-cli-linux-x64@18.1.2.</summary>
    [Required] public string CliPackage { get; set; } = "";
    /// <summary>File name of the marker that says which versions are installed.</summary>
    [Required] public string MarkerName { get; set; } = "";
    public int TimeoutSeconds { get; set; } = 600;

    public override bool Execute()
    {
        var dir = Path.GetFullPath(EngineDirectory);
        var marker = Path.Combine(dir, MarkerName);
        var expected = CorePackage + "\n" + CliPackage + "\n";
        if (Installed(dir, marker, expected)) return true;
        Directory.CreateDirectory(dir);

        var deadline = DateTime.UtcNow.AddSeconds(TimeoutSeconds);
        using (var gate = Lock(Path.Combine(dir, ".install.lock"), deadline))
        {
            if (gate == null)
            {
                Log.LogError("SIPCONF0001: another build has held {0} for {1} s; remove it if no build is running.", Path.Combine(dir, ".install.lock"), TimeoutSeconds);
                return false;
            }
            if (Installed(dir, marker, expected)) return true; // a parallel build finished the job while we waited

            Log.LogMessage(MessageImportance.High, "Installing the Pact engine ({0}, {1}) with npm into {2}", CorePackage, CliPackage, dir);
            var staging = Path.Combine(dir, "npm-staging");
            if (Directory.Exists(staging)) Directory.Delete(staging, true);
            Directory.CreateDirectory(staging);
            var npmOutput = Run("npm", new[] { "install", "--prefix", staging, "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                "--loglevel=error", "--ignore-scripts", CorePackage, CliPackage }, staging, deadline, out var exit);
            if (exit != 0)
            {
                Log.LogError("SIPCONF0002: npm could not install the Pact engine (exit {0}). It needs npm and access to the npm registry; or put libpact_ffi.so and pact under lib/ and bin/ of a folder named by SIPCONF_PACT_ENGINE_DIR. npm said: {1}", exit, npmOutput.Trim());
                return false;
            }
            var modules = Path.Combine(staging, "node_modules", "@pact-foundation");
            var library = Path.Combine(modules, PackageName(CorePackage), "prebuilds", "linux-x64", "libpact_ffi.so");
            var cli = Path.Combine(modules, PackageName(CliPackage), "standalone", "pact");
            if (!File.Exists(library) || !File.Exists(cli))
            {
                Log.LogError("SIPCONF0003: npm installed the packages but {0} or {1} is missing.", library, cli);
                return false;
            }
            Place(library, Path.Combine(dir, "lib", "libpact_ffi.so"));
            Place(cli, Path.Combine(dir, "bin", "pact"));
            Run("chmod", new[] { "755", Path.Combine(dir, "bin", "pact") }, dir, deadline, out _);
            Directory.Delete(staging, true);

            var temp = marker + ".tmp";
            File.WriteAllText(temp, expected);
            if (File.Exists(marker)) File.Delete(marker);
            File.Move(temp, marker);
            Log.LogMessage(MessageImportance.High, "Pact engine ready in {0}", dir);
            return true;
        }
    }

    private static string PackageName(string spec)
    {
        // "@pact-foundation/pact-cli-linux-x64@18.1.2" -> "pact-cli-linux-x64"
        var name = spec.Substring(spec.IndexOf('/') + 1);
        var at = name.LastIndexOf('@');
        return at > 0 ? name.Substring(0, at) : name;
    }

    private static bool Installed(string dir, string marker, string expected) =>
        File.Exists(marker) && File.ReadAllText(marker) == expected
        && File.Exists(Path.Combine(dir, "lib", "libpact_ffi.so")) && File.Exists(Path.Combine(dir, "bin", "pact"));

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
    private static string Quote(string arg) => "\"" + arg.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private string Run(string file, string[] args, string workingDirectory, DateTime deadline, out int exitCode)
    {
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
