using FluentAssertions;
using NUnit.Framework;
using SipConformance.Findings;
using SipConformance.Rules;
using SipConformance.Target;
using static SipConformance.Tests.Rules.Exchanges;

namespace SipConformance.Tests.Rules;

/// <summary>
/// "A rejected request creates nothing" reads the project's list after the rejections: a list the server
/// answered wrongly is a break; a page never answered (a timeout, a run cut short by its budget) shows
/// nothing about what was created, and is left to the transport rules.
/// </summary>
[TestFixture]
public sealed class RejectionsListTests
{
    private static RunFindings Judge(Exchange page)
    {
        var rejected = Case(Payload(), Validation.UnknownEnum);
        var findings = new RunFindings();
        new Evaluator(C, findings, Redactor.Nothing).Rejections(Validation.RejectedCreatesNothing,
            [(rejected, Response(422, """{"errors":[]}"""))], new ListResult([page], [], "page 1 answered otherwise"), "the list after rejections", Project);
        return findings;
    }

    [Test]
    public void A_list_answered_500_is_a_break()
    {
        Judge(Response(500, """{"error":"boom"}"""))[Validation.RejectedCreatesNothing].ViolationCount.Should().Be(1);
    }

    [Test]
    public void A_list_never_answered_is_no_verdict()
    {
        var findings = Judge(Failed(FailureKind.Cancelled, "not sent: the run was cancelled or ran out of its time budget"));
        findings[Validation.RejectedCreatesNothing].ViolationCount.Should().Be(0);
        findings[Validation.RejectedCreatesNothing].Passes.Should().Be(0);
    }
}
