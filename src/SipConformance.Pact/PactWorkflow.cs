using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Pact.Cli;
using SipConformance.Pact.Consumer;
using SipConformance.Pact.Engine;
using SipConformance.Pact.Provider;
using SipConformance.Target;

namespace SipConformance.Pact;

/// <summary>
/// The Pact side of the suite, one call per step: export the pact through the engine's mock
/// server, verify it against a target, publish it to a Pact Broker.
/// </summary>
public static class PactWorkflow
{
    public const string PactDirVariable = "SIPCONF_PACT_DIR";

    /// <summary>The embedded reference server's provider-state hook, relative to its base URL.</summary>
    public const string EmbeddedStateChangePath = "_pact/provider-states";

    /// <summary>The repository's pacts/ folder: the pact client teams take (kept current by a test, refreshed on request), else ./pacts.</summary>
    public static string CommittedPactDirectory => Path.Combine(EngineLocator.RepositoryRoot() ?? Directory.GetCurrentDirectory(), "pacts");

    /// <summary>
    /// Where a run writes its pact: SIPCONF_PACT_DIR when set (for example <c>pacts</c>, to refresh
    /// the repository's), else the run's artifacts folder's <c>pacts/</c>: running the tests leaves the clone as it was.
    /// </summary>
    public static string RunPactDirectory(string artifactsDirectory) =>
        Environment.GetEnvironmentVariable(PactDirVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(artifactsDirectory, "pacts");

    /// <summary>
    /// Builds the pact from the contract (<see cref="SipPact.Interactions"/>), exercises each
    /// interaction through the Pact mock server with the suite's client, and writes
    /// &lt;pactDirectory&gt;/&lt;consumer&gt;-&lt;provider&gt;.json when all matched. Returns the file's path.
    /// </summary>
    public static async Task<string> ExportAsync(SuiteSettings settings, SipContract contract, string pactDirectory, CancellationToken ct)
    {
        var export = await PactExporter.ExportAsync(settings, contract, SipPact.Interactions(contract), pactDirectory, ct).ConfigureAwait(false);
        return export.PactFile;
    }

    /// <summary>
    /// Verifies <paramref name="pactFile"/> against the target at <paramref name="baseUrl"/> and
    /// returns the outcome as check CREATE-PACT-001: one pass per interaction answered as recorded,
    /// one violation (redacted mismatch: path, expected, actual) per interaction that was not.
    /// The credentials reach the provider only, as a custom Authorization header.
    /// <paramref name="stateChangeUrl"/> null: the suite serves provider states itself on
    /// 127.0.0.1, handing out <paramref name="resourceId"/>.
    /// </summary>
    public static async Task<CheckResult> VerifyAsync(SuiteSettings settings, SipContract contract, Uri baseUrl, string projectId, Secret token, string? resourceId,
        Uri? stateChangeUrl, string pactFile, Redactor redactor, CancellationToken ct)
    {
        var verification = await PactVerifier.VerifyAsync(settings, new VerificationTarget(baseUrl, projectId, token, resourceId, stateChangeUrl, contract, settings.CallerId), pactFile, redactor, ct)
            .ConfigureAwait(false);
        return verification.Check;
    }

    /// <summary>
    /// Publishes the pacts in <paramref name="pactDirectory"/> to the Pact Broker named by
    /// PACT_BROKER_BASE_URL in <paramref name="environment"/> (with PACT_BROKER_TOKEN, or
    /// PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD), as consumer version SIPCONF_CONSUMER_VERSION
    /// or the git commit, on the git branch. Without a broker URL it returns Skipped with the reason.
    /// </summary>
    public static Task<PublishResult> PublishAsync(SuiteSettings settings, string pactDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken ct) =>
        BrokerPublisher.PublishAsync(settings, pactDirectory, environment, ct);
}
