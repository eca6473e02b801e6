using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Rules;
using SipConformance.Running;

namespace SipConformance.Tests.Rules;

/// <summary>docs/DRIFT-2026-03-18-2026-08-21.md is current, and says per rule what changed between the revisions.</summary>
public class DriftDocumentTests
{
    private const string From = ContractRevisions.March2026, To = ContractRevisions.August2026;

    private static string Render() => DriftDocument.Render(SipContract.Of(From), SipContract.Of(To));

    [Test]
    public void The_drift_document_is_current()
    {
        var path = Path.Combine(RepositoryPaths.Root ?? throw new InvalidOperationException("run from inside the repository"), DriftDocument.RelativePath(From, To));
        var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : "(missing)";
        // Never rewritten here: a stale file fails and says how to regenerate it.
        actual.Should().Be(Render(), $"{DriftDocument.RelativePath(From, To)} is generated; regenerate it with `{DriftDocument.RegenerateCommand(From, To)}` and commit it");
    }

    [Test]
    public void Each_rule_is_classified_by_its_revisions_and_clauses()
    {
        DriftDocument.Of(Success.Schema, From, To).Should().Be(DriftDocument.Change.NoLongerApplies);
        DriftDocument.Of(Success.DisplayName, From, To).Should().Be(DriftDocument.Change.NoLongerApplies);
        DriftDocument.Of(Success.FlatSchema, From, To).Should().Be(DriftDocument.Change.NewlyApplies);
        DriftDocument.Of(Echo.CallHandlerEither, From, To).Should().Be(DriftDocument.Change.NewlyApplies);
        DriftDocument.Of(Echo.Username, From, To).Should().Be(DriftDocument.Change.ExpectationChanged);
        DriftDocument.Of(Authentication.Body, From, To).Should().Be(DriftDocument.Change.Unchanged);
        DriftDocument.Of(Success.Schema, To, From).Should().Be(DriftDocument.Change.NewlyApplies, "the other way round");
    }

    [Test]
    public void Every_enum_and_schema_difference_is_listed_with_the_rules_that_name_it_or_none()
    {
        var differences = DriftDocument.Differences(SipContract.Of(From), SipContract.Of(To));
        foreach (var codec in SipContract.Of(To).Codecs.Except(SipContract.Of(From).Codecs))
            differences.Should().Contain(d => d.Kind == "enum" && d.What.Contains(codec, StringComparison.Ordinal));
        differences.Should().Contain(d => d.What.Contains("`project_id` removed", StringComparison.Ordinal) && d.CoveredBy.Contains(Success.Project.Id));
        differences.Should().Contain(d => d.What.Contains("`call_request_url` added", StringComparison.Ordinal) && d.CoveredBy.Count == 0);
        differences.Should().Contain(d => d.What.Contains(SchemaNames.InboundCallHandler, StringComparison.Ordinal) && d.CoveredBy.Contains(Echo.CallHandlerEither.Id));
        DriftDocument.Differences(SipContract.Of(From), SipContract.Of(From)).Should().BeEmpty("a revision does not drift from itself");
    }

    [Test]
    public async Task Sipconf_drift_prints_the_document()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SipConformance.Cli.CommandLine.RunAsync(["drift"], stdout, stderr, _ => null);
        exit.Should().Be(0, stderr.ToString());
        stdout.ToString().Should().Be(Render());
        (await SipConformance.Cli.CommandLine.RunAsync(["drift", "--to", "1999-01-01"], stdout, stderr, _ => null)).Should().Be(2);
    }
}
