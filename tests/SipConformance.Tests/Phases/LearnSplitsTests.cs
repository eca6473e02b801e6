using FluentAssertions;
using NUnit.Framework;
using SipConformance.Findings;
using SipConformance.Running.Probes;

namespace SipConformance.Tests.Phases;

/// <summary>
/// The learning phase splits a refused punctuation group into its characters, each alone between letters,
/// only where the field stored letters (else the refusal would say nothing of the character).
/// </summary>
[TestFixture]
public sealed class LearnSplitsTests
{
    private static readonly LearnProbe.Item[] Items =
    [
        new("username", "lower-case letters", "pfx_abcxyz"),
        new("username", "punctuation -_.!~", "pfx_-_.!~"),
        new("username", "punctuation &=+$", "pfx_&=+$"),
        new("caller_id", "lower-case letters", "abcxyz"),
        new("caller_id", "punctuation &=+$", "&=+$"),
        new("send_as", "lower-case letters", "abcxyz"),
        new("send_as", "punctuation ,;?/", ",;?/"),
    ];

    private static LearnedClassEntry V(string cls, string verdict) => new(cls, verdict, verdict == LearnedEntry.Refused ? 422 : 200);

    [Test]
    public void A_refused_group_of_a_field_that_stores_letters_is_sent_character_by_character()
    {
        var verdicts = new[]
        {
            V("lower-case letters", LearnedEntry.Stored), V("punctuation -_.!~", LearnedEntry.Stored), V("punctuation &=+$", LearnedEntry.Refused),
            V("lower-case letters", LearnedEntry.Refused), V("punctuation &=+$", LearnedEntry.Refused),
            V("lower-case letters", LearnedEntry.Stored), V("punctuation ,;?/", LearnedEntry.Mangled),
        };
        var splits = LearnProbe.Splits("pfx_", Items, verdicts);
        splits.Select(s => (s.Group, s.Item.Field, s.Item.Class, s.Item.Text)).Should().Equal(
            (2, "username", "punctuation & inside letters", "pfx_a&b"),
            (2, "username", "punctuation = inside letters", "pfx_a=b"),
            (2, "username", "punctuation + inside letters", "pfx_a+b"),
            (2, "username", "punctuation $ inside letters", "pfx_a$b"));
        LearnProbe.IsPunctuationGroup("punctuation & inside letters").Should().BeFalse("a character alone is not split again");
    }

    [Test]
    public void Nothing_is_split_where_nothing_was_refused()
    {
        var verdicts = Items.Select(i => V(i.Class, LearnedEntry.Stored)).ToList();
        LearnProbe.Splits("pfx_", Items, verdicts).Should().BeEmpty();
    }
}
