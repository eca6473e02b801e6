using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

[TestFixture]
public sealed class RedactorTests
{
    private const string ProjectId = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
    private const string TokenText = "PTsecret+canary/token=42-abcdef0123456789";
    private static readonly Secret Token = new(TokenText);
    private static readonly Redactor R = new([Token], [ProjectId]);

    public static IEnumerable<TestCaseData> Forms()
    {
        yield return new TestCaseData(TokenText).SetName("the token as is");
        yield return new TestCaseData(TokenText.ToLowerInvariant()).SetName("the token in another case");
        yield return new TestCaseData(Uri.EscapeDataString(TokenText)).SetName("the token URL-encoded");
        yield return new TestCaseData(System.Text.Json.JsonSerializer.Serialize(TokenText).Trim('"')).SetName("the token JSON-escaped");
        yield return new TestCaseData(AuthHeader.Base64($"{ProjectId}:{TokenText}")).SetName("base64 of project:token");
        yield return new TestCaseData(AuthHeader.Base64($"{ProjectId}:{TokenText}").TrimEnd('=')).SetName("base64 of project:token without padding");
        yield return new TestCaseData(AuthHeader.Base64($"an-unknown-project:{TokenText}")).SetName("base64 of another id:token");
        yield return new TestCaseData(AuthHeader.Base64($"x:{TokenText}").Replace('+', '-').Replace('/', '_')).SetName("URL-safe base64 of id:token");
        yield return new TestCaseData(AuthHeader.Base64(TokenText)).SetName("base64 of the token alone");
    }

    [TestCaseSource(nameof(Forms))]
    public void Every_form_of_the_token_is_redacted(string form)
    {
        var text = $"header: Basic {form}\n{{\"received\":\"{form}\"}} (end)";

        R.Leaks(text).Should().BeTrue();
        var redacted = R.Redact(text);

        redacted.Should().Contain(Secret.Mask).And.Contain("(end)").And.StartWith("header: Basic ");
        R.Leaks(redacted).Should().BeFalse();
        redacted.Should().NotContainEquivalentOf(TokenText);
        redacted.Should().NotContain(form);
    }

    /// <summary>
    /// Runs too short to hold a secret are not decoded; the shortest that can (the base64 of an unknown
    /// id and the token, for every byte alignment of the token, unpadded) are.
    /// </summary>
    [TestCase("PT123456")]
    [TestCase("PTsecret+canary/token=42-abcdef0123456789")]
    public void The_shortest_base64_run_that_can_hold_the_token_is_decoded_at_every_alignment(string token)
    {
        var redactor = new Redactor([new Secret(token)]);
        foreach (var prefix in new[] { "", "a", "ab", "abc", "q:" })
        {
            var run = AuthHeader.Base64(prefix + token).TrimEnd('=');
            var text = $"x {run} y";
            redactor.Leaks(text).Should().BeTrue("'{0}' is the base64 of '{1}'", run, prefix + token);
            var redacted = redactor.Redact(text);
            redacted.Should().Contain(Secret.Mask).And.NotContain(run).And.StartWith("x ").And.EndWith(" y");
            redactor.Leaks(redacted).Should().BeFalse();
        }
    }

    [Test]
    public void Text_without_a_secret_is_left_as_it_is()
    {
        var text = $"POST /api/fabric/resources/sip_endpoints for project {ProjectId}: {{\"username\":\"sipconf_1a2b3c4d_alice\",\"padding\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}} Basic {AuthHeader.Base64(ProjectId + ":another-token-entirely")}";

        R.Leaks(text).Should().BeFalse();
        R.Redact(text).Should().Be(text);
        Redactor.Nothing.Redact(TokenText).Should().Be(TokenText);
    }

    [Test]
    public void A_secret_never_shows_through_ToString()
    {
        var auth = AuthHeader.Basic("primary project", ProjectId, Token);
        var project = new TargetProject("primary", ProjectId, Token, null, SettingsLoader.ProjectId, SettingsLoader.ApiToken);
        var spec = new RequestSpec(HttpMethod.Post, new Uri("http://127.0.0.1/"), auth);

        foreach (var text in new[] { Token.ToString(), $"{Token}", auth.ToString(), project.ToString(), spec.ToString(), project.Auth.ToString() })
        {
            text.Should().NotContain(TokenText);
            R.Leaks(text).Should().BeFalse(text);
        }
        auth.Curl.Should().Contain("$SIPCONF_API_TOKEN").And.NotContain(TokenText);
        auth.Value!.Reveal().Should().Be("Basic " + AuthHeader.Base64($"{ProjectId}:{TokenText}"), "what is sent is the real credential");
    }

    /// <summary>The one-pass search finds a leak exactly where the needle-by-needle, match-by-match definition does.</summary>
    [TestCase("PT123456")]
    [TestCase("PTsecret+canary/token=42-abcdef0123456789")]
    public void The_fast_search_answers_as_the_definition_on_texts_around_secrets(string token)
    {
        var redactor = new Redactor([new Secret(token)], [ProjectId]);
        string[] fragments =
        [
            token, token.ToUpperInvariant(), Uri.EscapeDataString(token), AuthHeader.Base64($"{ProjectId}:{token}"), AuthHeader.Base64("q:" + token).TrimEnd('='),
            AuthHeader.Base64("ab" + token).Replace('+', '-').Replace('/', '_'), AuthHeader.Base64(token), "=", "==", "===", " ", "\"", ":", "é", "\n",
            "abcdefgh", "0b4b7c4e-6c55-4d4b-9a7e-1c2f0a1b2c3d", "sipconf_1a2b3c4d_alice", "+/_-", "A",
        ];
        var random = new Random(3);
        var leaks = 0;
        for (var n = 0; n < 20000; n++)
        {
            var sb = new System.Text.StringBuilder();
            for (var k = random.Next(1, 8); k > 0; k--)
            {
                var f = fragments[random.Next(fragments.Length)];
                // a piece of a fragment, cut anywhere: runs that hold part of a secret, or a secret at any offset
                var from = random.Next(3) == 0 ? random.Next(f.Length) : 0;
                sb.Append(f, from, random.Next(3) == 0 ? random.Next(f.Length - from + 1) : f.Length - from);
            }
            var text = sb.ToString();
            var expected = redactor.LeaksByPattern(text);
            redactor.Leaks(text).Should().Be(expected, text);
            if (expected) leaks++;
        }
        leaks.Should().BeInRange(2000, 18000, "the texts must hold leaks and texts without one");
    }
}
