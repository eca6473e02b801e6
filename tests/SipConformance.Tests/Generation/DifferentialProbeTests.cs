using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Running;
using SipConformance.Running.Probes;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Generation;

/// <summary>The parsers phase sends every entry of the catalogue, bound to the rule it names, but the ones it leaves out for a stated reason.</summary>
public sealed class DifferentialProbeTests
{
    /// <summary>Left out whatever the run (DifferentialProbe says why): a charset other than UTF-8, Authorization forms other than the scheme's case.</summary>
    private static readonly string[] NeverSent =
    [
        "media-express-charset-refused", "media-aspnetcore-charset-refused", "media-spring-latin1-charset",
        "auth-go-two-spaces", "auth-spring-two-spaces", "auth-go-lower-case-scheme", "auth-valid-upper-case-scheme",
    ];

    private static SuiteRun Run(string revision, string? resourceId = "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d") =>
        new(new SuiteSettings { Seed = 5, SeedGiven = true, Profile = Profile.Smoke, Revision = revision, ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-parsers-").FullName },
            // A token whose Basic credential has padding and both '+' and '/' after base64url: no variant equals the plain form.
            Targets.Embedded(new Uri("http://127.0.0.1:9/"), Exchanges.ProjectId, "PT?>?>-token~", resourceId, null, null), SipContract.Of(revision));

    private static HashSet<string> Sent(SuiteRun run) =>
        DifferentialProbe.Cases(run, Shard.Whole).Where(c => !c.Name.StartsWith("a repeated name", StringComparison.Ordinal)).SelectMany(c => c.Name[..c.Name.IndexOf(' ', StringComparison.Ordinal)].Split(','))
            .Concat(DifferentialProbe.PathForms().SelectMany(f => f.Entries.Split(", ")))
            .Concat(DifferentialProbe.PlainPathForms().Select(d => d.Id))
            .ToHashSet(StringComparer.Ordinal);

    [Test]
    public async Task Every_entry_is_sent_but_those_left_out_for_a_stated_reason()
    {
        await using var run = Run(ContractRevisions.March2026);
        var sent = Sent(run);
        Differentials.All.Select(d => d.Id).Except(sent).Should().BeEquivalentTo(NeverSent);
    }

    [Test]
    public async Task Under_2026_08_21_the_values_that_revision_takes_are_not_sent_as_refused()
    {
        await using var run = Run(ContractRevisions.August2026);
        var notSent = Differentials.All.Select(d => d.Id).Except(Sent(run)).Except(NeverSent).ToList();
        notSent.Should().NotBeEmpty().And.OnlyContain(id => Differentials.All.Single(d => d.Id == id).Stimulus.Contains("OPUS@", StringComparison.Ordinal),
            "only the OPUS@... codecs change between the revisions");
    }

    [Test]
    public async Task Without_a_resource_the_entries_that_need_one_are_not_sent()
    {
        await using var run = Run(ContractRevisions.March2026, resourceId: null);
        var notSent = Differentials.All.Select(d => d.Id).Except(Sent(run)).Except(NeverSent).ToList();
        notSent.Should().NotBeEmpty().And.OnlyContain(id => Differentials.All.Single(d => d.Id == id).Field == FieldNames.CallingHandlerResourceId
            || Differentials.All.Single(d => d.Id == id).Stimulus.Contains("{{resource", StringComparison.Ordinal));
    }

    [Test]
    public async Task Each_case_goes_to_the_rule_its_entry_names_with_the_answers_it_allows()
    {
        await using var run = Run(ContractRevisions.March2026);
        var cases = DifferentialProbe.Cases(run, Shard.Whole).Where(c => !c.Name.StartsWith("a repeated name", StringComparison.Ordinal))
            .SelectMany(c => c.Name[..c.Name.IndexOf(' ', StringComparison.Ordinal)].Split(',').Select(id => (id, c))).ToDictionary(x => x.id, x => x.c);
        cases["uuid-dotnet-braces-resource"].Rule.Should().Be(CallHandler.ResourceIdMalformed);
        cases["uuid-dotnet-braces"].Rule.Should().Be(Validation.MalformedUuid);
        cases["enum-valid-escaped-value"].Rule.Should().Be(Success.Status);
        ((JsonObject)cases["enum-valid-escaped-value"].Payload!)[FieldNames.Encryption]!.GetValue<string>().Should().Be("required", "the case compares the answer with what a strict reader reads");
        System.Text.Encoding.UTF8.GetString(cases["enum-valid-escaped-value"].Body).Should().Contain("\"encryption\":\"\\u0072equired\"", "the stimulus goes out as written");
        cases["body-stj-trailing-comma"].Rule.Should().Be(Misc.MalformedJson);
        cases["body-flask-top-level-array-crash"].Rule.Should().Be(Validation.NotAnObject);
        cases["body-stj-case-insensitive-key"].Rule.Should().Be(Validation.MissingRequired);
        cases["cred-werkzeug-junk-character"].Rule.Should().Be(Authentication.BadBase64);
        cases["auth-spring-tab"].Rule.Should().Be(Authentication.OtherScheme);
        cases["string-drf-trim"].Rule.Should().Be(Strings.Unicode);
        cases["string-python-lone-surrogate-crash"].Allowed.Should().BeEquivalentTo([200, 400, 422], "text no strict reader reads is any answer but a 5xx");
        cases["body-drf-deep-nesting-crash"].Allowed.Should().NotContain(c => c >= 500);
        cases["media-django-no-check"].Rule.Should().Be(Misc.NonJsonContentType);
        DifferentialProbe.Cases(run, Shard.Whole).Select(c => c.Body).Should().OnlyHaveUniqueItems("one stimulus is sent once, named after every entry that holds it")
            .And.HaveCountLessThan(Differentials.All.Count);
        foreach (var c in cases.Values)
        {
            c.Allowed.Should().NotBeEmpty(c.Name);
            c.Allowed.Should().NotContain(s => s >= 500, c.Name);
            run.Redactor.Leaks(c.Name).Should().BeFalse("a case's name never holds the credentials");
            if (c.Username is { } username) username.Should().StartWith(run.Identity.UsernamePrefix, "what a case creates carries the run's marker ({0})", c.Name);
        }
    }
}
