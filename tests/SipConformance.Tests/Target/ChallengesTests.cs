using FluentAssertions;
using NUnit.Framework;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

/// <summary>WWW-Authenticate read as RFC 9110 section 11.6.1 allows: several challenges, parameters, quoted commas.</summary>
[TestFixture]
public sealed class ChallengesTests
{
    [TestCase("Basic", "Basic")]
    [TestCase("Basic realm=\"SignalWire\"", "Basic")]
    [TestCase("Bearer realm=\"SignalWire\", basic realm=\"SignalWire\", charset=\"UTF-8\"", "Bearer|basic")]
    [TestCase("Newauth realm=\"apps, and more\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"", "Newauth|Basic")]
    [TestCase("Negotiate, NTLM,Basic realm=x", "Negotiate|NTLM|Basic")]
    [TestCase("Bearer abc.def-ghi==, Basic", "Bearer|Basic")]
    [TestCase("", "")]
    public void Each_challenge_s_scheme_is_read(string field, string expected) =>
        string.Join("|", Challenges.Schemes(field)).Should().Be(expected);

    [TestCase("Bearer realm=\"basic\"", false)]
    [TestCase("Bearer realm=\"x, Basic y\"", false)]
    [TestCase("Bearer, BASIC realm=y", true)]
    [TestCase("Digest realm=x, basic=y", false)]
    [TestCase(null, false)]
    public void Basic_is_offered_only_as_a_scheme(string? field, bool offered) =>
        Challenges.Offers(field, "Basic").Should().Be(offered);
}
