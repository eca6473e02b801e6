using FluentAssertions;
using NUnit.Framework;
using SipConformance.Generation;
using static SipConformance.Tests.Rules.Exchanges;

namespace SipConformance.Tests.Rules;

/// <summary>Seeds reproduce payloads; the run marker is on every username and salts every id.</summary>
public class GenerationTests
{
    private static PayloadFactory Factory(long seed, string marker = "m1") => new(C, RunIdentity.Create(seed, marker), ResourceId);

    [Test]
    public void The_same_seed_gives_the_same_payloads_run_after_run()
    {
        var a = Enumerable.Range(0, 50).Select(i => Factory(42).Valid("s", i).ToJsonString()).ToList();
        var b = Enumerable.Range(0, 50).Select(i => Factory(42).Valid("s", i).ToJsonString()).ToList();
        a.Should().Equal(b);
        Enumerable.Range(0, 50).Select(i => Factory(43).Valid("s", i).ToJsonString()).Should().NotEqual(a);
        Factory(42).LocaleText("ja", 3).Should().Be(Factory(42).LocaleText("ja", 3));
    }

    [Test]
    public void Usernames_carry_the_run_marker_and_ids_differ_between_markers()
    {
        var p = Factory(42, "abcd1234").Valid("s", 1);
        p["username"]!.GetValue<string>().Should().StartWith("sipconf_abcd1234_");
        Factory(42, "other").Valid("s", 1)["id"]!.GetValue<string>().Should().NotBe(p["id"]!.GetValue<string>());
        SipConformance.Contract.UuidText.IsValid(p["id"]!.GetValue<string>()).Should().BeTrue();
        p["caller_id"]!.GetValue<string>().Should().MatchRegex(@"^\+1[2-9]\d{2}[2-9]\d{6}$");
    }

    [Test]
    public void Valid_payloads_validate_against_the_request_schema()
    {
        for (var i = 0; i < 100; i++)
        {
            var p = Factory(7).Valid("v", i);
            C.Validate(SipConformance.Contract.SchemaNames.CreateRequest, p.ToJsonString()).Errors.Should().BeEmpty(p.ToJsonString());
        }
    }

    [Test]
    public void The_unicode_fixtures_load_and_are_valid_text()
    {
        PayloadFactory.UnicodeSamples.Should().HaveCountGreaterThan(15);
        PayloadFactory.UnicodeSamples.Should().OnlyContain(s => s.Text.EnumerateRunes().All(r => r.Value != 0xFFFE));
        PayloadFactory.UnicodeSamples.Select(s => s.Text).Should().Contain(t => t.EnumerateRunes().Any(r => r.Value > 0xFFFF), "astral-plane text is covered");
    }
}
