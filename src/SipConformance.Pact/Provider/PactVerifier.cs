using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Findings;
using SipConformance.Pact.Engine;
using SipConformance.Target;
using SipConformance.Contract;

namespace SipConformance.Pact.Provider;

/// <summary>What to verify, against what.</summary>
/// <param name="StateChangeUrl">The target's provider-state endpoint; null: the suite runs its own (<see cref="LocalStateServer"/>) handing out <paramref name="ResourceId"/>.</param>
/// <summary>A target to verify the pact against; <see cref="Contract"/>: the revision it is held to (where its answers hold the endpoint's username).</summary>
public sealed record VerificationTarget(Uri BaseUrl, string ProjectId, Secret Token, string? ResourceId, Uri? StateChangeUrl, Contract.SipContract Contract, string? CallerId = null);

/// <summary>One run of the engine's verifier over a subset of the interactions (output redacted).</summary>
public sealed record VerifierRun(string Label, bool WithCredentials, IReadOnlyList<string> Interactions, int ExitCode, string Output, TimeSpan Elapsed);

/// <summary>A verification's outcome: the check, the runs behind it, the state changes served, the clean-up.</summary>
public sealed record PactVerification(CheckResult Check, IReadOnlyList<VerifierRun> Runs, IReadOnlyList<StateChange> StateChanges, IReadOnlyList<string> CleanupNotes, TimeSpan Elapsed);

/// <summary>An interaction as the pact file holds it (what the verification needs to know).</summary>
public sealed record PactFileInteraction(string Description, IReadOnlyList<string> States, bool SendsCredentials, string? Username);

/// <summary>
/// Verifies a pact file against a target with the engine's verifier (in process, through the FFI):
/// the credentials go in as a custom <c>Authorization</c> header, which replaces the placeholder the
/// pact records; the interactions recorded without credentials run in a second, filtered run
/// without it (a custom header goes on every request of a run). Provider states are set up by the
/// target's state-change endpoint or by <see cref="LocalStateServer"/>.
/// </summary>
/// <remarks>
/// Why the FFI verifier and not <c>pact verifier</c>: the credential stays in this process (a CLI
/// would take it on its command line, readable by any local user in /proc), the result comes back
/// as structured JSON (path, expected, actual) rather than text to scrape, and a run costs 30-50 ms
/// instead of a process start.
/// </remarks>
public static partial class PactVerifier
{
    /// <summary>The check this verification decides: CREATE-PACT-001, defined once in the suite's catalogue.</summary>
    public static Rule Check => Rules.Pact.Verification;

    public static async Task<PactVerification> VerifyAsync(SuiteSettings settings, VerificationTarget target, string pactFile, Redactor redactor, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var own = new Redactor([target.Token], [target.ProjectId]);
        string Redact(string? text) => own.Redact(redactor.Redact(AnsiCodes().Replace(text ?? "", "")));

        var result = new CheckResult(Check);
        var interactions = ReadPact(pactFile);
        var runs = new List<VerifierRun>();
        var notes = new List<string>();
        IReadOnlyList<StateChange> stateChanges = [];

        // Interactions whose state the suite cannot set up are skipped, not failed.
        // The caller-id state is always served (the configured caller id, or an E.164 example); the resource state needs a resource.
        var canServeStates = target.StateChangeUrl is not null || target.ResourceId is not null;
        var runnable = new List<PactFileInteraction>();
        foreach (var i in interactions)
        {
            if (i.States.Any(state => state != SipPact.CallerIdState) && !canServeStates)
                result.Skip($"'{i.Description}' needs the provider state '{string.Join("', '", i.States)}': set {SettingsLoader.ResourceId} (or give a state-change URL)");
            else
                runnable.Add(i);
        }

        var stateServer = target.StateChangeUrl is null ? LocalStateServer.ForResource(target.ResourceId, target.CallerId) : null;
        try
        {
            var stateUrl = target.StateChangeUrl ?? stateServer!.Url;
            var header = AuthHeader.Basic("pact verification", target.ProjectId, target.Token);
            if (settings.Cleanup) notes.AddRange(await CleanupAsync(settings, target, interactions, own, "before", ct).ConfigureAwait(false));

            foreach (var (label, withCredentials) in new[] { ("with credentials", true), ("without credentials", false) })
            {
                var pending = runnable.Where(i => i.SendsCredentials == withCredentials).ToList();
                // A 429 is not a finding: interactions answered 429 are verified again after a wait
                // (1 s, doubling, at most 30 s each), within the run's rate-limit budget.
                var waited = TimeSpan.Zero;
                for (var round = 0; pending.Count > 0; round++)
                {
                    ct.ThrowIfCancellationRequested();
                    var subset = pending;
                    var run = await Task.Run(() => RunOnce(settings, target, pactFile, stateUrl, subset, withCredentials ? header : null), ct).ConfigureAwait(false);
                    runs.Add(new VerifierRun(round == 0 ? label : $"{label}, again after 429", withCredentials, subset.Select(i => i.Description).ToList(), run.Output.ExitCode, Redact(run.Output.Output), run.Elapsed));
                    var wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, round)));
                    var limited = waited + wait <= settings.RateLimitBudget ? RateLimited(subset, run.Output) : [];
                    Judge(result, label, subset.Where(i => !limited.Contains(i)).ToList(), run.Output, Redact);
                    if (limited.Count == 0) break;
                    notes.Add($"{limited.Count} interaction(s) answered 429: verified again after {wait.TotalSeconds:0} s");
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                    waited += wait;
                    pending = limited;
                }
            }

            if (settings.Cleanup) notes.AddRange(await CleanupAsync(settings, target, interactions, own, "after", ct).ConfigureAwait(false));
        }
        finally
        {
            if (stateServer is not null)
            {
                stateChanges = stateServer.Calls;
                await stateServer.DisposeAsync().ConfigureAwait(false);
            }
        }
        return new PactVerification(result, runs, stateChanges, notes.Select(Redact).ToList(), clock.Elapsed);
    }

    private static (VerifierRunOutput Output, TimeSpan Elapsed) RunOnce(SuiteSettings settings, VerificationTarget target, string pactFile, Uri stateUrl,
        IReadOnlyList<PactFileInteraction> subset, AuthHeader? credentials)
    {
        var clock = Stopwatch.StartNew();
        using var verifier = new Verifier("sipconformance", typeof(PactVerifier).Assembly.GetName().Version?.ToString() ?? "0")
            .Provider(settings.PactProvider, target.BaseUrl)
            .OnlyDescriptions(DescriptionFilter(subset.Select(i => i.Description)))
            .StateChange(stateUrl)
            .Options(settings.InsecureTls, settings.RequestTimeout)
            .PactFile(pactFile);
        // The name's case matches the pact's ("Authorization"): only then does the engine replace the recorded placeholder.
        if (credentials?.Value is { } value) verifier.CustomHeader("Authorization", value.Reveal());
        var output = verifier.Execute();
        return (output, clock.Elapsed);
    }

    /// <summary>A regex (Rust dialect) that selects exactly these descriptions.</summary>
    public static string DescriptionFilter(IEnumerable<string> descriptions) =>
        "^(" + string.Join("|", descriptions.Select(Model.Match.EscapeForRust)) + ")$";

    private static void Judge(CheckResult result, string label, IReadOnlyList<PactFileInteraction> subset, VerifierRunOutput output, Func<string?, string> redact)
    {
        JsonElement root = default;
        var parsed = false;
        try
        {
            root = JsonDocument.Parse(output.Json.Length == 0 ? "{}" : output.Json).RootElement;
            parsed = root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException) { }

        var outcomes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (parsed && root.TryGetProperty("interactionResults", out var results) && results.ValueKind == JsonValueKind.Array)
            foreach (var r in results.EnumerateArray())
                if (r.TryGetProperty("description", out var d) && d.GetString() is { } description)
                    outcomes[description] = r;

        if (output.ExitCode == 2 || (outcomes.Count == 0 && output.ExitCode != 0))
        {
            var why = Tail(redact(string.Join(Environment.NewLine, output.Output, output.Logs)), 40);
            result.Violate(new Violation($"verifier run {label}", $"the Pact verifier could not run (exit {output.ExitCode})") { Text = why }, requests: 0);
            return;
        }

        foreach (var i in subset)
        {
            if (!outcomes.TryGetValue(i.Description, out var r))
            {
                result.Violate(new Violation(i.Description, "the verifier did not report on this interaction") { Text = Tail(redact(output.Output), 20) });
                continue;
            }
            if (r.TryGetProperty("result", out var ok) && ok.GetString() == "OK")
            {
                result.Pass();
                continue;
            }
            // Status first, then by path: the engine's own order varies from run to run.
            var lines = r.TryGetProperty("mismatch", out var m)
                ? DescribeMismatch(m).Select(l => redact(l)).OrderBy(l => l.StartsWith("status:", StringComparison.Ordinal) ? 0 : 1).ThenBy(l => l, StringComparer.Ordinal).ToList()
                : [];
            if (lines.Count == 0) lines.Add(redact(Tail(output.Output, 20)));
            result.Violate(new Violation(i.Description, "the target's answer differs from the pact: " + lines[0]) { Text = string.Join(Environment.NewLine, lines) });
        }
    }

    /// <summary>The interactions the target answered 429 (rate limited: not processed, to be verified again).</summary>
    private static List<PactFileInteraction> RateLimited(IReadOnlyList<PactFileInteraction> subset, VerifierRunOutput output)
    {
        var limited = new List<PactFileInteraction>();
        try
        {
            var root = JsonDocument.Parse(output.Json.Length == 0 ? "{}" : output.Json).RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("interactionResults", out var results) || results.ValueKind != JsonValueKind.Array) return limited;
            foreach (var r in results.EnumerateArray())
                if (r.TryGetProperty("description", out var d) && subset.FirstOrDefault(i => i.Description == d.GetString()) is { } interaction
                    && r.TryGetProperty("mismatch", out var m)
                    && DescribeMismatch(m).Any(l => l.StartsWith("status:", StringComparison.Ordinal) && l.Contains("but was 429", StringComparison.Ordinal)))
                    limited.Add(interaction);
        }
        catch (JsonException) { }
        return limited;
    }

    /// <summary>One line per mismatch the verifier reported: where, what it says, expected and actual.</summary>
    public static IReadOnlyList<string> DescribeMismatch(JsonElement mismatch)
    {
        var lines = new List<string>();
        if (mismatch.TryGetProperty("mismatches", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in list.EnumerateArray())
            {
                var type = Text(m, ResponseFields.Type) ?? "mismatch";
                var where = Text(m, "path") ?? (Text(m, "key") is { } key ? $"header {key}" : type == "StatusMismatch" ? "status" : type);
                var sb = new StringBuilder($"{where}: {Text(m, "mismatch") ?? Text(m, "message") ?? type}");
                if (m.TryGetProperty("expected", out _) || m.TryGetProperty("actual", out _))
                    sb.Append($" (expected {Clip(Raw(m, "expected"))}, actual {Clip(Raw(m, "actual"))})");
                lines.Add(sb.ToString());
            }
        }
        else if (Text(mismatch, "message") is { } message)
        {
            lines.Add($"{Text(mismatch, ResponseFields.Type) ?? "error"}: {message}");
        }
        return lines;
    }

    /// <summary>Reads the interactions of a V4 pact file.</summary>
    public static IReadOnlyList<PactFileInteraction> ReadPact(string pactFile)
    {
        if (!File.Exists(pactFile)) throw new FileNotFoundException($"no pact file at {pactFile}", pactFile);
        var root = JsonNode.Parse(File.ReadAllText(pactFile)) as JsonObject ?? throw new InvalidDataException($"{pactFile} is not a JSON object");
        var version = root["metadata"]?["pactSpecification"]?["version"]?.GetValue<string>();
        if (version is null || !version.StartsWith("4.", StringComparison.Ordinal))
            throw new InvalidDataException($"{pactFile} is not a V4 pact (pactSpecification {version ?? "missing"})");
        var list = new List<PactFileInteraction>();
        foreach (var node in root["interactions"] as JsonArray ?? [])
        {
            if (node is not JsonObject i) continue;
            var description = i["description"]?.GetValue<string>() ?? throw new InvalidDataException($"{pactFile}: an interaction has no description");
            var states = (i["providerStates"] as JsonArray ?? []).Select(s => s?["name"]?.GetValue<string>()).OfType<string>().ToList();
            var headers = i["request"]?["headers"] as JsonObject;
            var sendsCredentials = headers?.Any(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)) ?? false;
            var username = i["request"]?["body"]?["content"]?["username"] is JsonValue u && u.TryGetValue<string>(out var name) ? name : null;
            list.Add(new PactFileInteraction(description, states, sendsCredentials, username));
        }
        return list;
    }

    /// <summary>
    /// Deletes what the verifier's creates left in the project: endpoints whose username is one of
    /// the pact's (they all carry <see cref="SipPact.UsernamePrefix"/>). Best effort: a target
    /// without list or delete gets a note, not a failure.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CleanupAsync(SuiteSettings settings, VerificationTarget target, IReadOnlyList<PactFileInteraction> interactions,
        Redactor redactor, string when, CancellationToken ct)
    {
        var usernames = interactions.Select(i => i.Username).OfType<string>().Where(u => u.StartsWith(SipPact.UsernamePrefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        if (usernames.Count == 0) return [];
        var notes = new List<string>();
        var project = new TargetProject("pact verification", target.ProjectId, target.Token, target.ResourceId, SettingsLoader.ProjectId, SettingsLoader.ApiToken);
        using var client = new TargetClient(ClientOptions.From(settings) with { RateLimitBudget = TimeSpan.FromSeconds(10) }, redactor, ct);
        var api = new SipApi(client, target.BaseUrl, target.Contract, journal: null);
        var list = await api.ListAllAsync(project.Auth, ct, maxPages: 50).ConfigureAwait(false);
        if (!list.Complete)
        {
            notes.Add($"clean-up {when} verification: could not list the project's endpoints ({list.Problem})");
            return notes;
        }
        foreach (var item in list.Items)
        {
            var username = target.Contract.EndpointField(item, FieldNames.Username) is { ValueKind: JsonValueKind.String } u ? u.GetString() : null;
            var id = item.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
            if (username is null || id is null || !usernames.Contains(username)) continue;
            var deleted = await api.DeleteAsync(project, id, ct: ct).ConfigureAwait(false);
            notes.Add(deleted.Response is { } gone && Statuses.IsSuccess(gone.Status)
                ? $"clean-up {when} verification: deleted {id} ({username})"
                : $"clean-up {when} verification: could not delete {id} ({username}): {SipApi.Describe(deleted)}");
        }
        return notes;
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
            : null;

    private static string Raw(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()) : "?";

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines))).Trim();
    }

    [GeneratedRegex(@"\x1B\[[0-9;]*[mGK]")]
    private static partial Regex AnsiCodes();
}
