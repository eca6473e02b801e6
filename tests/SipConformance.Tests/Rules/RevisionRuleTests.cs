using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.ReferenceServer;
using SipConformance.Rules;

namespace SipConformance.Tests.Rules;

/// <summary>Rules, faults and quirks declare the revisions they apply to, and the declarations agree.</summary>
public class RevisionRuleTests
{
    [Test]
    public void Every_rule_applies_in_a_shipped_revision_and_the_rule_book_per_revision_is_the_applicable_ones()
    {
        foreach (var rule in RuleBook.All)
            rule.Revisions.Should().NotBeEmpty(rule.Id).And.BeSubsetOf(SipContract.Revisions, rule.Id);
        foreach (var revision in SipContract.Revisions)
            RuleBook.For(revision).Should().Equal(RuleBook.All.Where(r => r.AppliesIn(revision)));
        RuleBook.For(ContractRevisions.August2026).Should().NotContain(Success.Schema).And.Contain(Success.FlatSchema).And.Contain(Echo.CallHandlerEither);
        RuleBook.For(ContractRevisions.March2026).Should().Contain(Success.Schema).And.NotContain(Success.FlatSchema).And.NotContain(Echo.CallHandlerEither);
    }

    [Test]
    public void A_fault_applies_only_where_the_rule_it_breaks_applies()
    {
        foreach (var fault in FaultCatalogue.All)
            foreach (var revision in SipContract.Revisions.Where(fault.AppliesIn))
                RuleBook.Get(fault.Rule).AppliesIn(revision).Should().BeTrue($"fault {fault.Id} applies in {revision}, so its rule {fault.Rule} must");
        FaultCatalogue.For(ContractRevisions.August2026).Should().NotBeEmpty();
    }

    [Test]
    public void A_server_refuses_a_fault_of_another_revision()
    {
        var marchOnly = FaultCatalogue.All.First(f => !f.AppliesIn(ContractRevisions.August2026));
        var act = () => ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { Faults = [marchOnly.Id], Contract = SipContract.Of(ContractRevisions.August2026) });
        act.Should().ThrowAsync<ArgumentException>().WithMessage($"*{marchOnly.Id}*{ContractRevisions.August2026}*").Wait();
    }

    [Test]
    public void The_2026_08_21_clauses_are_declared_where_the_expectation_changed()
    {
        Echo.Username.ClauseIn(ContractRevisions.August2026).Should().Contain("top-level").And.NotBe(Echo.Username.Clause);
        Echo.Username.ClauseIn(ContractRevisions.March2026).Should().Be(Echo.Username.Clause);
        Rule.NotInRevision(ContractRevisions.August2026).Should().Be("not in revision 2026-08-21");
    }
}
