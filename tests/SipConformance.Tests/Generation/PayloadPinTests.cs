using System.Security.Cryptography;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Target;

namespace SipConformance.Tests.Generation;

/// <summary>
/// A seed reproduces a run's payloads across versions of the suite, not only within one: the bodies of a
/// fixed seed and marker hash to the value they had when this test was written (a change to generation that
/// moves any byte fails here). Re-pinned on purpose twice: valid payloads list ciphers and codecs in a
/// seeded order of their own (contract rule: order is free); and their text keeps to the baseline every
/// server must take (username of 32 characters at most, send_as of a-z, 0-9 and _), which moved every body.
/// </summary>
public sealed class PayloadPinTests
{
    [Test]
    public void Valid_payloads_keep_to_the_baseline_every_server_must_take()
    {
        foreach (var marker in new[] { "ab12cd34", "selftest", "abcdefghijklmnop" })
        {
            var factory = new PayloadFactory(SipContract.Default, RunIdentity.Create(42, marker), null);
            for (var i = 0; i < 500; i++)
            {
                var p = factory.Valid("baseline/" + i % 5, i);
                foreach (var field in new[] { FieldNames.Username, FieldNames.SendAs })
                    PayloadFactory.IsBaselineName(p[field]!.GetValue<string>()).Should().BeTrue($"{field} {p[field]} is inside the baseline (marker {marker})");
                p[FieldNames.CallerId]!.GetValue<string>().Should().MatchRegex(@"^\+[0-9]{8,15}$");
            }
        }
    }

    [Test]
    public void The_bodies_of_seed_42_marker_ab12cd34_are_byte_for_byte_those_of_before()
    {
        var factory = new PayloadFactory(SipContract.Default, RunIdentity.Create(42, "ab12cd34"), "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < 2000; i++)
        {
            sha.AppendData(SipApi.Serialize(factory.Valid("combination", i)));
            sha.AppendData(SipApi.Serialize(factory.Valid("pin/" + i % 7, i * 7919L)));
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(factory.LocaleText(PayloadFactory.Locales[i % PayloadFactory.Locales.Count], i)));
        }
        var hash = Convert.ToHexString(sha.GetHashAndReset());
        hash.Should().Be("178F3ED1D7F510B7C400034E685E01F70FAC859598B5798D7502A175E5835E81", "the bodies hash to {0} now", hash);
    }
}
