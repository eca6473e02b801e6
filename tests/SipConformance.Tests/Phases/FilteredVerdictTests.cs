using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.ReferenceServer;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Tests.Phases;

/// <summary>
/// What --filter promises: a selected check gets the verdict an unfiltered run gives it against the same server. The
/// correct reference server and faults of several sections, each run whole and filtered to the section of the rule the
/// fault breaks (smoke profile, one seed, the standard phases), and the outcomes of the selected checks compared.
/// </summary>
[TestFixture]
public sealed class FilteredVerdictTests
{
    private static async Task<(IReadOnlyDictionary<string, Outcome> Outcomes, long Requests)> RunAsync(string? fault, CheckFilter filter)
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = fault is null ? [] : [fault] });
        var settings = new SuiteSettings
        {
            Seed = 20261206, SeedGiven = true, RunMarker = "verdicts", Profile = Profile.Smoke, Filter = filter,
            ArtifactsDirectory = Directory.CreateTempSubdirectory("sipconf-verdicts-").FullName,
        };
        var target = Targets.Embedded(server.BaseUrl, server.Primary.ProjectId, server.Primary.ApiToken, server.Primary.ResourceId,
            server.Secondary.ProjectId, server.Secondary.ApiToken, server.Secondary.ResourceId);
        await using var run = new SuiteRun(settings, target, SipContract.Default);
        await run.RunAllAsync();
        return (run.Findings.All.ToDictionary(r => r.Check.Id, r => r.Outcome), run.RequestsSent);
    }

    [TestCase(null, "CREATE-AUTH")]
    [TestCase(null, "CREATE-ISO")]
    [TestCase("auth-no-www-authenticate", "CREATE-AUTH")]
    [TestCase("auth-401-message-body", "CREATE-AUTH")]
    [TestCase("auth-wrong-token-creates", "CREATE-AUTH")]
    [TestCase("validation-no-attribute", "CREATE-VAL-008")]
    [TestCase("rejected-create-stored", "CREATE-VAL")]
    [TestCase("get-unknown-200", "CREATE-READ")]
    [TestCase("isolation-get-foreign", "CREATE-ISO")]
    [TestCase("malformed-json-500", "CREATE-MISC")]
    [TestCase("strings-nfc", "CREATE-STR")]
    [TestCase("resource-unknown-id-accepted", "CREATE-HANDLER")]
    [TestCase("echo-ciphers-drop-last", "CREATE-ECHO")]
    public async Task A_selected_check_gets_the_verdict_of_the_unfiltered_run(string? fault, string pattern)
    {
        var filter = CheckFilter.Of([pattern]);
        var (whole, wholeRequests) = await RunAsync(fault, CheckFilter.None);
        var (filtered, filteredRequests) = await RunAsync(fault, filter);
        TestContext.Out.WriteLine($"{fault ?? "correct server"}, --filter {pattern}: {filteredRequests} request(s), unfiltered {wholeRequests}");

        var selected = RuleBook.All.Where(filter.Selects).Select(r => r.Id).ToList();
        selected.Should().NotBeEmpty();
        filtered.Where(p => selected.Contains(p.Key)).Should().BeEquivalentTo(whole.Where(p => selected.Contains(p.Key)));
        filtered.Where(p => !selected.Contains(p.Key)).Should().OnlyContain(p => p.Value == Outcome.Skipped);
        if (fault is not null) whole.Where(p => selected.Contains(p.Key)).Should().Contain(p => p.Value != Outcome.Pass, "the fault breaks a selected check (else the comparison shows little)");
        // Where every phase still runs, the counts differ by what retries and shrinking re-send; on the correct server these filters leave most out.
        if (fault is null) filteredRequests.Should().BeLessThan(wholeRequests / 2, "the phases none of the selected checks needs send nothing");
    }
}
