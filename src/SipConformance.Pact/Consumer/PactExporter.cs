using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Pact.Engine;
using SipConformance.Pact.Model;
using SipConformance.Target;

namespace SipConformance.Pact.Consumer;

/// <summary>What an export did.</summary>
public sealed record PactExport(string PactFile, IReadOnlyList<string> Interactions, TimeSpan Elapsed);

/// <summary>
/// Writes the pact through the engine: every interaction goes into a V4 pact, the engine's mock
/// server serves it, the suite's own client (<see cref="TargetClient"/> + <see cref="SipApi"/>)
/// sends each example request to it, and only when the mock server says every interaction
/// matched does the engine write the file. The client presents a throwaway credential of the
/// right shape; the file only ever holds the placeholder example.
/// </summary>
public static class PactExporter
{
    public static async Task<PactExport> ExportAsync(SuiteSettings settings, SipContract contract, IReadOnlyList<PactInteraction> interactions,
        string pactDirectory, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        SipPactContractCheck.Check(contract, interactions);

        // A fresh credential of the right shape, never written anywhere: the mock server matches it by regex.
        var throwaway = new Secret("pact-export-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        var project = new TargetProject("pact consumer", Guid.NewGuid().ToString(), throwaway, null, SettingsLoader.ProjectId, SettingsLoader.ApiToken);
        var redactor = new Redactor(settings.Secrets.Append(throwaway), [settings.ProjectId, settings.SecondProjectId, project.ProjectId]);

        using var pact = new PactModel(settings.PactConsumer, settings.PactProvider);
        foreach (var interaction in interactions) pact.Add(interaction);

        string file;
        using (var server = pact.StartMockServer())
        {
            var options = ClientOptions.From(settings) with { Concurrency = 1, MaxRequestsPerSecond = null, InsecureTls = false };
            using (var client = new TargetClient(options, redactor, ct))
            {
                var api = new SipApi(client, server.BaseUrl, contract, journal: null);
                foreach (var interaction in interactions)
                {
                    ct.ThrowIfCancellationRequested();
                    var auth = interaction.SendsCredentials ? project.Auth : AuthHeader.None;
                    var body = SipApi.Serialize(interaction.ExampleRequestBody);
                    var exchange = await api.CreateAsync(project, auth, body, interaction.RequestContentType, ct).ConfigureAwait(false);
                    if (exchange.Response is null)
                        throw new PactEngineException(redactor.Redact($"the Pact mock server did not answer '{interaction.Description}': {exchange.Failure}"));
                }
            }

            if (!server.Matched)
                throw Mismatch(server.MismatchesJson(), redactor, settings);
            file = server.WritePactFile(pactDirectory);
        }

        var text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
        if (redactor.Leaks(text) || text.Contains(throwaway.Reveal(), StringComparison.Ordinal))
        {
            File.Delete(file);
            throw new PactEngineException("the engine wrote a credential into the pact file; the file was deleted");
        }
        return new PactExport(file, interactions.Select(i => i.Description).ToList(), clock.Elapsed);
    }

    /// <summary>A readable, redacted account of the mock server's mismatches.</summary>
    internal static PactMismatchException Mismatch(string mismatchesJson, Redactor redactor, SuiteSettings settings)
    {
        var lines = DescribeMismatches(mismatchesJson).Select(redactor.Redact).ToList();
        return new PactMismatchException(
            $"the pact was not written: the Pact mock server for {settings.PactConsumer} -> {settings.PactProvider} saw {lines.Count} problem(s):" + Environment.NewLine +
            string.Join(Environment.NewLine, lines.Select(l => "  - " + l)), lines);
    }

    /// <summary>One line per entry of the mock server's mismatch JSON (type, request, what differed).</summary>
    public static IReadOnlyList<string> DescribeMismatches(string json)
    {
        var lines = new List<string>();
        JsonElement root;
        try { root = JsonDocument.Parse(json).RootElement; }
        catch (JsonException) { return [json]; }
        if (root.ValueKind != JsonValueKind.Array) return [json];
        foreach (var entry in root.EnumerateArray())
        {
            var type = Str(entry, "type") ?? "mismatch";
            var request = entry.TryGetProperty("request", out var r) ? r : entry;
            var where = $"{Str(entry, "method") ?? Str(request, "method")} {Str(entry, "path") ?? Str(request, "path")}".Trim();
            var sb = new StringBuilder($"{type} {where}");
            if (entry.TryGetProperty("mismatches", out var ms) && ms.ValueKind == JsonValueKind.Array)
                foreach (var m in ms.EnumerateArray())
                    sb.Append($"; {Str(m, "type")} {Str(m, "path")}: {Str(m, "mismatch") ?? $"expected {Raw(m, "expected")}, got {Raw(m, "actual")}"}");
            lines.Add(sb.ToString());
        }
        return lines;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;

    private static string Raw(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.GetRawText() : "?";
}
