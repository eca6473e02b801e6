using System.Diagnostics;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Pact.Cli;

/// <summary>How the suite authenticates to a Pact Broker.</summary>
public abstract record BrokerAuth
{
    public sealed record None : BrokerAuth;
    public sealed record Token(Secret Value) : BrokerAuth;
    public sealed record Basic(string Username, Secret Password) : BrokerAuth;

    public IEnumerable<Secret> Secrets => this switch
    {
        Token t => [t.Value],
        Basic b => [b.Password],
        _ => [],
    };
}

/// <summary>
/// A <c>pact broker publish</c> command: the arguments (never a secret: the CLI reads
/// PACT_BROKER_TOKEN / PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD from its environment, so no
/// credential sits on a command line that /proc shows to every local user), the environment the
/// child gets, and <see cref="Display"/>, the line to show, with every secret as [REDACTED].
/// </summary>
public sealed record PublishCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment, string Display, IReadOnlyList<Secret> Secrets);

/// <summary>What publishing did. <see cref="Message"/> is one line meant for a person, redacted.</summary>
public sealed record PublishResult(PublishStatus Status, string Message, string? CommandLine = null, int? ExitCode = null, string? Output = null, TimeSpan? Elapsed = null)
{
    public bool Published => Status == PublishStatus.Published;
    public override string ToString() => Message;
}

public enum PublishStatus
{
    Published,
    Skipped,
    Failed,
}

/// <summary>Publishing pacts to a Pact Broker with the pact CLI.</summary>
public static class BrokerPublisher
{
    public const string BrokerUrl = "PACT_BROKER_BASE_URL";
    public const string BrokerToken = "PACT_BROKER_TOKEN";
    public const string BrokerUsername = "PACT_BROKER_USERNAME";
    public const string BrokerPassword = "PACT_BROKER_PASSWORD";
    public const string BrokerRetries = "PACT_BROKER_HTTP_RETRIES";

    /// <summary>CI variables that name the branch when git is on a detached HEAD, in order.</summary>
    public static readonly IReadOnlyList<string> BranchVariables = ["GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BRANCH_NAME", "GIT_BRANCH"];

    /// <summary>Reads the broker's URL and credentials; null URL means "not configured". Throws <see cref="SettingsException"/> on a malformed value.</summary>
    public static (Uri? Url, BrokerAuth Auth) ReadBroker(IReadOnlyDictionary<string, string?> environment)
    {
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var text = Get(BrokerUrl);
        if (text is null) return (null, new BrokerAuth.None());
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new SettingsException($"{BrokerUrl} must be an http(s) URL, not '{text}'.");
        if (!string.IsNullOrEmpty(url.UserInfo))
            throw new SettingsException($"{BrokerUrl} must not carry credentials; use {BrokerToken}, or {BrokerUsername} and {BrokerPassword}.");
        var token = Get(BrokerToken);
        var user = Get(BrokerUsername);
        var password = Get(BrokerPassword);
        if (token is not null && (user is not null || password is not null))
            throw new SettingsException($"set {BrokerToken}, or {BrokerUsername} and {BrokerPassword}, not both.");
        if ((user is null) != (password is null))
            throw new SettingsException($"set both {BrokerUsername} and {BrokerPassword}, or neither.");
        BrokerAuth auth = token is not null ? new BrokerAuth.Token(new Secret(token))
            : user is not null ? new BrokerAuth.Basic(user, new Secret(password!))
            : new BrokerAuth.None();
        return (url, auth);
    }

    /// <summary>
    /// The command (pure: no I/O): <c>pact broker publish DIR -b URL -a VERSION [--branch B] --retries N</c>,
    /// credentials in the child's environment only.
    /// </summary>
    public static PublishCommand BuildCommand(string pactDirectory, Uri broker, BrokerAuth auth, string consumerVersion, string? branch, int retries = 2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pactDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerVersion);
        var args = new List<string> { "broker", "publish", pactDirectory, "-b", broker.ToString().TrimEnd('/'), "-a", consumerVersion };
        if (!string.IsNullOrWhiteSpace(branch)) args.AddRange(["--branch", branch]);
        args.AddRange(["--retries", retries.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        // Every broker variable is set or removed explicitly: nothing stale leaks in from the parent.
        var env = new Dictionary<string, string?>
        {
            [BrokerUrl] = null,
            [BrokerToken] = null,
            [BrokerUsername] = null,
            [BrokerPassword] = null,
        };
        var shown = new List<string>();
        switch (auth)
        {
            case BrokerAuth.Token t:
                env[BrokerToken] = t.Value.Reveal();
                shown.Add($"{BrokerToken}={Secret.Mask}");
                break;
            case BrokerAuth.Basic b:
                env[BrokerUsername] = b.Username;
                env[BrokerPassword] = b.Password.Reveal();
                shown.Add($"{BrokerUsername}={Quote(b.Username)}");
                shown.Add($"{BrokerPassword}={Secret.Mask}");
                break;
        }
        shown.Add("pact");
        shown.AddRange(args.Select(Quote));
        return new PublishCommand(args, env, string.Join(' ', shown), auth.Secrets.ToList());
    }

    /// <summary>Publishes every pact in <paramref name="pactDirectory"/>, or says in one line why it did not.</summary>
    public static async Task<PublishResult> PublishAsync(SuiteSettings settings, string pactDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        Uri? broker;
        BrokerAuth auth;
        try { (broker, auth) = ReadBroker(environment); }
        catch (SettingsException e) { return new PublishResult(PublishStatus.Failed, "publishing failed: " + e.Message); }
        if (broker is null)
            return new PublishResult(PublishStatus.Skipped, $"publishing skipped: {BrokerUrl} is not set (set it, with {BrokerToken} or {BrokerUsername}/{BrokerPassword}, to publish to a Pact Broker).");
        if (!Directory.Exists(pactDirectory) || Directory.GetFiles(pactDirectory, "*.json").Length == 0)
            return new PublishResult(PublishStatus.Failed, $"publishing failed: no pact files in {pactDirectory}; export first.");

        var root = Engine.EngineLocator.RepositoryRoot() ?? Directory.GetCurrentDirectory();
        var version = settings.ConsumerVersion ?? await GitAsync(root, ["rev-parse", "HEAD"], ct).ConfigureAwait(false);
        if (version is null)
            return new PublishResult(PublishStatus.Failed, $"publishing failed: no consumer version: set {SettingsLoader.ConsumerVersion}, or run inside a git checkout.");
        var branch = await GitAsync(root, ["rev-parse", "--abbrev-ref", "HEAD"], ct).ConfigureAwait(false);
        if (branch is null or "HEAD")
            branch = BranchVariables.Select(v => environment.TryGetValue(v, out var b) ? b : null).FirstOrDefault(b => !string.IsNullOrWhiteSpace(b));

        var retries = environment.TryGetValue(BrokerRetries, out var r) && int.TryParse(r, out var n) && n >= 0 ? n : 2;
        var command = BuildCommand(Path.GetFullPath(pactDirectory), broker, auth, version, branch, retries);
        var redactor = new Redactor(command.Secrets.Concat(settings.Secrets), [settings.ProjectId]);
        var run = await PactCli.RunAsync(command.Arguments, command.Environment, TimeSpan.FromSeconds(120), redactor, ct).ConfigureAwait(false);
        var firstLine = run.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no output)";
        return run.Succeeded
            ? new PublishResult(PublishStatus.Published, $"published {pactDirectory} to {broker} as version {version}{(branch is null ? "" : $" on branch {branch}")}", command.Display, 0, run.Output, run.Elapsed)
            : new PublishResult(PublishStatus.Failed,
                run.TimedOut ? $"publishing failed: the pact CLI did not finish within 120 s ({broker})" : $"publishing failed (exit {run.ExitCode}): {firstLine}",
                command.Display, run.ExitCode, run.Output, run.Elapsed);
    }

    private static async Task<string?> GitAsync(string directory, string[] args, CancellationToken ct)
    {
        try
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info);
            if (process is null) return null;
            var output = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            return process.ExitCode == 0 && output.Trim() is { Length: > 0 } text ? text : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; } // no git
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=@+,".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
