using SipConformance.Findings;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.ReferenceServer;
using SipConformance.Running;

namespace SipConformance.SelfTests.Safety;

/// <summary>
/// The token never leaves the process in any form: the real conformance suite runs as a child
/// process (`dotnet test`, smoke profile) against a reference server whose credentials the test
/// chose, and every byte it leaves (standard output and error, TRX, JUnit, JSON, Markdown, the
/// journal, anything else under its folders) is searched for the tokens: as they are, in another
/// case, URL-encoded, JSON-escaped, and inside any base64 (project:token or otherwise). Once against
/// a correct server, once against a faulty one that also reflects the Authorization header back in
/// its answers, so failure reports with evidence (curl lines, bodies) are searched too.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed partial class SecretLeakTests
{
    // Long and distinctive; '+', '/' and '=' make the URL-encoded and JSON-escaped forms differ from the token.
    private const string PrimaryToken = "PTsipconfCanaryPrimary7f3a9c2e41d85b06+Leak/Token=9e1d";
    private const string SecondToken = "PTsipconfCanarySecond0b5e8d7c3a2f1469+Leak/Token=4c7a";
    private const string PrimaryId = "3f9d2c1b-8a7e-4d6c-9b5a-0e1f2d3c4b5a";
    private const string SecondId = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

    /// <summary>report: where the child run's GitHub job summary goes (GITHUB_STEP_SUMMARY).</summary>
    private const string StepSummaryFile = "github-step-summary.md";

    private static ReferenceServerOptions Options(params string[] faults) => new()
    {
        Faults = faults,
        PrimaryProject = new ProjectCredentials(PrimaryId, PrimaryToken, "c0c0c0c0-1111-4222-8333-444455556666"),
        SecondaryProject = new ProjectCredentials(SecondId, SecondToken, "d0d0d0d0-1111-4222-8333-444455556666"),
    };

    [Test]
    public async Task A_conformance_run_against_a_correct_server_leaves_no_trace_of_the_tokens()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(Options());

        var child = await RunConformanceSuiteAsync(server.BaseUrl, insecureTls: false, "clean");

        child.ExitCode.Should().Be(0, "the reference server passes:\n" + SafetyRun.Clip(child.Stdout, 3000));
        child.Stdout.Should().Contain("SipConformance: contract revision").And.Contain("token [REDACTED]");
        AssertNoLeak(child);
        server.EndpointCount(PrimaryId).Should().Be(0);
    }

    [Test]
    public async Task A_failing_run_against_a_faulty_server_that_reflects_credentials_leaves_no_trace_of_the_tokens()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(Options("auth-wrong-token-accepted", "echo-username-lowercased", "display-name-missing"));
        using var cert = LoopbackCertificate.Create();
        var reflected = 0;
        await using var proxy = await ForwardingProxy.StartAsync(server.BaseUrl, cert, (ctx, answer) =>
        {
            var auth = ctx.Request.Headers.Authorization.ToString();
            if (auth.Length == 0) return answer;
            Interlocked.Increment(ref reflected);
            var echoed = JsonSerializer.Serialize(auth, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (answer.Status == 401)
                return new ProxiedAnswer(403, Encoding.UTF8.GetBytes($"{{\"error\":\"Forbidden\",\"received_authorization\":{echoed}}}"), "application/json");
            if (answer.Body is not [(byte)'{', ..]) return answer;
            var body = Encoding.UTF8.GetString(answer.Body);
            // Into an echoed field too, so the reflected credential lands in a check's own message, not only in evidence.
            if (answer.Status == 200 && ctx.Request.Method == "POST")
                body = UsernameValue().Replace(body, "\"username\":" + echoed.Replace("$", "$$", StringComparison.Ordinal), 1);
            return answer with { Body = Encoding.UTF8.GetBytes("{\"received_authorization\":" + echoed + "," + body[1..]) };
        });

        var child = await RunConformanceSuiteAsync(proxy.BaseUrl, insecureTls: true, "faulty");

        child.ExitCode.Should().NotBe(0, "the faults fail the run");
        reflected.Should().BeGreaterThan(100, "the server did hand the credentials back, again and again");
        child.Stdout.Should().Contain("WARNING: SIPCONF_INSECURE_TLS=true", "the opt-in out of certificate validation is loud");
        var trx = child.Files.Single(f => f.EndsWith(".trx", StringComparison.Ordinal));
        var trxText = File.ReadAllText(trx);
        trxText.Should().Contain("reproduce: curl").And.Contain("received_authorization").And.Contain("[REDACTED]",
            "failure evidence with reflected credentials, curl lines and bodies was written, redacted");
        trxText.Should().Contain("$SIPCONF_API_TOKEN", "the curl lines rebuild the credential from the environment");
        child.Stdout.Should().Contain("sip_endpoint.username is \"Basic [REDACTED]\"", "a check's own message quotes the reflected field, redacted");
        AssertNoLeak(child);
    }

    [Test]
    public async Task The_installed_sipconf_tool_against_a_faulty_server_that_reflects_credentials_prints_and_writes_no_trace_of_the_tokens()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(Options("auth-wrong-token-accepted", "echo-username-lowercased"));
        var reflected = 0;
        await using var proxy = await ForwardingProxy.StartAsync(server.BaseUrl, certificate: null, (ctx, answer) =>
        {
            var auth = ctx.Request.Headers.Authorization.ToString();
            if (auth.Length == 0 || answer.Body is not [(byte)'{', ..]) return answer;
            Interlocked.Increment(ref reflected);
            var echoed = JsonSerializer.Serialize(auth);
            var body = Encoding.UTF8.GetString(answer.Body);
            if (answer.Status == 200 && ctx.Request.Method == "POST")
                body = UsernameValue().Replace(body, "\"username\":" + echoed.Replace("$", "$$", StringComparison.Ordinal), 1);
            return answer with { Body = Encoding.UTF8.GetBytes("{\"received_authorization\":" + echoed + "," + body[1..]) };
        });

        var child = await RunConformanceSuiteAsync(proxy.BaseUrl, insecureTls: false, "tool", Way.Tool);

        child.ExitCode.Should().Be(1, "the faults fail the run, and the tool says so with exit code 1:\n" + SafetyRun.Clip(child.Stdout + child.Stderr, 3000));
        reflected.Should().BeGreaterThan(100, "the server did hand the credentials back, again and again");
        child.Stdout.Should().Contain("token [REDACTED]").And.Contain("reproduce: curl", "the tool explains the failures, with curl lines");
        child.Stdout.Should().Contain("sip_endpoint.username is \"Basic [REDACTED]\"", "a check's own message quotes the reflected field, redacted");
        AssertNoLeak(child);
    }

    [Test]
    public void The_scan_finds_every_form_it_looks_for()
    {
        var dir = SafetyRun.TempDirectory("scan-canary");
        var forms = new[]
        {
            PrimaryToken, PrimaryToken.ToUpperInvariant(), Uri.EscapeDataString(SecondToken), JsonSerializer.Serialize(PrimaryToken),
            Base64($"{PrimaryId}:{PrimaryToken}"), Base64($"{SecondId}:{SecondToken}").TrimEnd('='),
            "Basic " + Base64($"some-other-project:{PrimaryToken}"), Base64("x" + SecondToken).Replace('+', '-').Replace('/', '_'),
            "truncated: PTsipconfCanaryPrimary7f3a9c2e",
        };
        foreach (var (form, i) in forms.Select((f, i) => (f, i))) File.WriteAllText(Path.Combine(dir, $"planted-{i}.txt"), $"before {form} after");
        File.WriteAllText(Path.Combine(dir, "clean.txt"), $"project {PrimaryId}, token [REDACTED], Basic {Base64(PrimaryId + ":[REDACTED]")}");

        var findings = Scan([dir], "", "");

        findings.Select(f => Path.GetFileName(f.Split(':')[0])).Distinct().Should().BeEquivalentTo(forms.Select((_, i) => $"planted-{i}.txt"));
    }

    // ---- the child run

    private sealed record ChildRun(int ExitCode, string Stdout, string Stderr, IReadOnlyList<string> Roots, IReadOnlyList<string> Files, bool Tool);

    /// <summary>How the child runs the suite: `dotnet test tests/SipConformance.Conformance`, or the packed and installed `sipconf run`.</summary>
    private enum Way { DotnetTest, Tool }

    private static async Task<ChildRun> RunConformanceSuiteAsync(Uri baseUrl, bool insecureTls, string label, Way way = Way.DotnetTest)
    {
        var artifacts = SafetyRun.TempDirectory($"leak-{label}-artifacts");
        var results = SafetyRun.TempDirectory($"leak-{label}-results");
        var environment = new Dictionary<string, string?>
        {
            ["SIPCONF_BASE_URL"] = baseUrl.ToString(),
            ["SIPCONF_PROJECT_ID"] = PrimaryId,
            ["SIPCONF_API_TOKEN"] = PrimaryToken,
            ["SIPCONF_RESOURCE_ID"] = "c0c0c0c0-1111-4222-8333-444455556666",
            ["SIPCONF_SECOND_PROJECT_ID"] = SecondId,
            ["SIPCONF_SECOND_API_TOKEN"] = SecondToken,
            ["SIPCONF_PROFILE"] = "smoke",
            ["SIPCONF_SEED"] = "1",
            ["SIPCONF_PROPERTY_ITERATIONS"] = "2",
            ["SIPCONF_TIMEOUT"] = "10",
            ["SIPCONF_ARTIFACTS"] = artifacts,
            ["SIPCONF_PACT_DIR"] = Path.Combine(artifacts, "pacts"),
            [Reporting.StepSummary.Variable] = Path.Combine(artifacts, StepSummaryFile), // report: the job summary, where the scan looks
        };
        if (insecureTls) environment["SIPCONF_INSECURE_TLS"] = "true";

        var result = way == Way.Tool
            ? await Tool.SipconfTool.RunAsync(environment, results, $"{label}: sipconf run", "run", "--progress", "1")
            : await Tool.ChildProcess.ConformanceSuiteAsync(environment, results, $"{label}: dotnet test",
                "console;verbosity=detailed", "trx;LogFileName=sipconformance-child.trx");
        var roots = new[] { artifacts, results };
        var run = new ChildRun(result.Code, result.Out, result.Err, roots,
            roots.SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories)).ToList(), way == Way.Tool);
        TestContext.Out.WriteLine($"{label}: {run.Files.Count} file(s) left: " +
                                  string.Join(", ", run.Files.Select(f => Path.GetRelativePath(Path.GetDirectoryName(artifacts)!, f))));
        TestContext.Out.WriteLine(SafetyRun.Clip(run.Stdout[Math.Max(0, run.Stdout.Length - 2500)..], 2500));
        return run;
    }

    private static void AssertNoLeak(ChildRun child)
    {
        if (!child.Tool) child.Files.Should().Contain(f => f.EndsWith(".trx", StringComparison.Ordinal), "the TRX is written");
        foreach (var name in new[] { "sipconformance-junit.xml", "sipconformance-findings.json", "sipconformance-summary.md", Reporting.Html.HtmlReport.FileName, StepSummaryFile })
            child.Files.Should().Contain(f => Path.GetFileName(f) == name, $"the run writes {name}");
        child.Files.Should().Contain(f => f.Contains($"{Path.DirectorySeparatorChar}journal{Path.DirectorySeparatorChar}", StringComparison.Ordinal), "the journal is written");
        Scan(child.Roots, child.Stdout, child.Stderr).Should().BeEmpty("no form of a token may appear in anything the run leaves");
    }

    // ---- the scan (independent of the suite's own Redactor)

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static IEnumerable<string> Needles()
    {
        foreach (var token in new[] { PrimaryToken, SecondToken })
        {
            yield return token;
            yield return token[..30]; // a token cut short still leaks most of it
            yield return Uri.EscapeDataString(token);
            yield return JsonSerializer.Serialize(token).Trim('"'); // '+' as \u002B, '=' as \u003D
            yield return System.Security.SecurityElement.Escape(token);
            foreach (var id in new[] { PrimaryId, SecondId })
                yield return Base64($"{id}:{token}").TrimEnd('=');
        }
    }

    [GeneratedRegex("\"username\":\"[^\"]*\"")]
    private static partial Regex UsernameValue();

    [GeneratedRegex("[A-Za-z0-9+/_-]{12,}")]
    private static partial Regex Base64Run();

    private static bool DecodesToAToken(string run)
    {
        var core = run.Replace('-', '+').Replace('_', '/');
        for (var skip = 0; skip < 4 && core.Length - skip >= 8; skip++)
        {
            var part = core[skip..];
            if (part.Length % 4 == 1) part = part[..^1];
            part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
            var bytes = new byte[part.Length / 4 * 3];
            if (!Convert.TryFromBase64String(part, bytes, out var n)) continue;
            var text = Encoding.UTF8.GetString(bytes, 0, n);
            if (text.Contains(PrimaryToken[..30], StringComparison.OrdinalIgnoreCase) || text.Contains(SecondToken[..30], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Every place (file:line, or stream:line) where a form of a token shows.</summary>
    private static List<string> Scan(IEnumerable<string> roots, string stdout, string stderr)
    {
        var needles = Needles().ToList();
        var found = new List<string>();
        void Look(string where, string text)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var hit = needles.FirstOrDefault(n => line.Contains(n, StringComparison.OrdinalIgnoreCase));
                var encoded = hit is null ? Base64Run().Matches(line).FirstOrDefault(m => DecodesToAToken(m.Value))?.Value : null;
                if (hit is null && encoded is null) continue;
                // Say where, without repeating the canary itself.
                var shown = line.Trim();
                foreach (var n in needles) shown = shown.Replace(n, "<LEAK>", StringComparison.OrdinalIgnoreCase);
                if (encoded is not null) shown = shown.Replace(encoded, "<BASE64 HOLDING A TOKEN>", StringComparison.Ordinal);
                found.Add($"{where}:{i + 1}: {SafetyRun.Clip(shown, 300)}");
            }
        }
        Look("stdout", stdout);
        Look("stderr", stderr);
        foreach (var file in roots.SelectMany(r => Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories)))
        {
            var bytes = File.ReadAllBytes(file);
            Look(file, Encoding.UTF8.GetString(bytes));
            if (bytes.Length > 1 && bytes[1] == 0) Look(file + " (UTF-16)", Encoding.Unicode.GetString(bytes));
        }
        return found;
    }
}
