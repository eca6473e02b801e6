using System.Reflection;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;

namespace SipConformance.Tests.Configuration;

/// <summary>SIPCONF_* from the environment and from .runsettings parameters: precedence, fallbacks, errors, defaults.</summary>
[TestFixture]
public sealed class SettingsLoaderTests
{
    private const string Token = "PTconfig-test-token-9c1d7e";

    private static SuiteSettings Load(IDictionary<string, string?>? env = null, IDictionary<string, string?>? parameters = null)
    {
        var e = env ?? new Dictionary<string, string?>();
        return SettingsLoader.Load(name => e.TryGetValue(name, out var v) ? v : null, new Dictionary<string, string?>(parameters ?? new Dictionary<string, string?>()));
    }

    private static Dictionary<string, string?> Remote(string url = "https://example.signalwire.com") => new()
    {
        [SettingsLoader.BaseUrl] = url,
        [SettingsLoader.ProjectId] = "p-1",
        [SettingsLoader.ApiToken] = Token,
    };

    // ---- precedence and fallbacks

    [Test]
    public void The_environment_wins_over_runsettings_parameters()
    {
        var s = Load(
            env: new Dictionary<string, string?> { [SettingsLoader.Profile] = "smoke", [SettingsLoader.Seed] = "7", [SettingsLoader.Strict] = "true" },
            parameters: new Dictionary<string, string?> { [SettingsLoader.Profile] = "threewise", [SettingsLoader.Seed] = "99", [SettingsLoader.Strict] = "false", [SettingsLoader.Cleanup] = "false" });

        s.Profile.Should().Be(Profile.Smoke);
        s.Seed.Should().Be(7);
        s.SeedGiven.Should().BeTrue();
        s.Strict.Should().BeTrue();
        s.Cleanup.Should().BeFalse("a parameter the environment does not set still counts");
    }

    [Test]
    public void An_empty_environment_variable_does_not_hide_a_parameter()
    {
        var s = Load(
            env: new Dictionary<string, string?> { [SettingsLoader.Profile] = "  ", [SettingsLoader.Seed] = "" },
            parameters: new Dictionary<string, string?> { [SettingsLoader.Profile] = "pairwise", [SettingsLoader.Seed] = " 12 " });

        s.Profile.Should().Be(Profile.Pairwise);
        s.Seed.Should().Be(12);
    }

    [Test]
    public void SIGNALWIRE_credentials_stand_in_for_missing_SIPCONF_ones_and_SIPCONF_wins_when_both_are_set()
    {
        var fallback = Load(new Dictionary<string, string?>
        {
            [SettingsLoader.BaseUrl] = "https://example.signalwire.com",
            [SettingsLoader.FallbackProjectId] = "sw-project",
            [SettingsLoader.FallbackApiToken] = "PTsignalwire-token",
        });
        fallback.ProjectId.Should().Be("sw-project");
        fallback.ApiToken!.Reveal().Should().Be("PTsignalwire-token");

        var both = Load(new Dictionary<string, string?>
        {
            [SettingsLoader.BaseUrl] = "https://example.signalwire.com",
            [SettingsLoader.ProjectId] = "sipconf-project",
            [SettingsLoader.ApiToken] = Token,
            [SettingsLoader.FallbackProjectId] = "sw-project",
            [SettingsLoader.FallbackApiToken] = "PTsignalwire-token",
        });
        both.ProjectId.Should().Be("sipconf-project");
        both.ApiToken!.Reveal().Should().Be(Token);
    }

    [Test]
    public void SIGNALWIRE_SPACE_stands_for_the_base_URL_and_SIPCONF_BASE_URL_wins_over_it()
    {
        var space = Load(new Dictionary<string, string?>
        {
            [SettingsLoader.Space] = "example.signalwire.com/",
            [SettingsLoader.ProjectId] = "p",
            [SettingsLoader.ApiToken] = Token,
        });
        space.BaseUrl.Should().Be(new Uri("https://example.signalwire.com/"));
        space.IsEmbedded.Should().BeFalse();

        var both = Load(new Dictionary<string, string?>(Remote("http://127.0.0.1:8080")) { [SettingsLoader.Space] = "example.signalwire.com" });
        both.BaseUrl.Should().Be(new Uri("http://127.0.0.1:8080/"));
    }

    // ---- errors a person can act on

    [Test]
    public void A_remote_URL_without_credentials_is_one_clear_message_without_a_stack_trace()
    {
        var act = () => Load(new Dictionary<string, string?> { [SettingsLoader.BaseUrl] = "https://example.signalwire.com" });

        var e = act.Should().Throw<SettingsException>().Which;
        e.Message.Should().Contain("SIPCONF_BASE_URL is https://example.signalwire.com/")
            .And.Contain("SIPCONF_PROJECT_ID").And.Contain("SIPCONF_API_TOKEN")
            .And.Contain("SIGNALWIRE_PROJECT_ID").And.Contain("unset SIPCONF_BASE_URL");
        e.Message.Should().NotContain("\n");
        e.StackTrace.Should().BeNull("a configuration error is for a person, not a stack trace");
        e.ToString().Should().NotContain(" at SipConformance.", "no stack frames in what a runner prints");
    }

    [Test]
    public void A_token_without_a_project_is_also_missing_credentials()
    {
        var act = () => Load(new Dictionary<string, string?> { [SettingsLoader.BaseUrl] = "https://example.signalwire.com", [SettingsLoader.ApiToken] = Token });

        act.Should().Throw<SettingsException>().Which.Message.Should().Contain("credentials are missing").And.NotContain(Token);
    }

    [Test]
    public void Half_a_second_project_is_rejected()
    {
        var act = () => Load(new Dictionary<string, string?>(Remote()) { [SettingsLoader.SecondProjectId] = "p-2" });

        act.Should().Throw<SettingsException>().Which.Message.Should().Contain("SIPCONF_SECOND_PROJECT_ID").And.Contain("SIPCONF_SECOND_API_TOKEN");
    }

    [TestCase(SettingsLoader.Profile, "fast", "smoke, pairwise, threewise, exhaustive")]
    [TestCase(SettingsLoader.Seed, "twelve", "whole number")]
    [TestCase(SettingsLoader.Seed, "1.5", "whole number")]
    [TestCase(SettingsLoader.Strict, "maybe", "true or false")]
    [TestCase(SettingsLoader.Cleanup, "sometimes", "true or false")]
    [TestCase(SettingsLoader.InsecureTls, "please", "true or false")]
    [TestCase(SettingsLoader.MaxRps, "0", "positive number")]
    [TestCase(SettingsLoader.MaxRps, "-5", "positive number")]
    [TestCase(SettingsLoader.MaxRps, "fast", "positive number")]
    [TestCase(SettingsLoader.Concurrency, "0", "positive number")]
    [TestCase(SettingsLoader.Timeout, "30s", "positive number")]
    [TestCase(SettingsLoader.RunBudget, "-1", "positive number")]
    [TestCase(SettingsLoader.RateLimitBudget, "none", "positive number")]
    [TestCase(SettingsLoader.PropertyIterations, "0", "positive number")]
    [TestCase(SettingsLoader.BaseUrl, "ftp://example.com", "http(s) URL")]
    [TestCase(SettingsLoader.BaseUrl, "example.signalwire.com", "http(s) URL")]
    public void A_bad_value_is_rejected_with_a_message_naming_the_variable_and_the_value(string name, string value, string expected)
    {
        var env = Remote();
        env[name] = value;

        var e = FluentActions.Invoking(() => Load(env)).Should().Throw<SettingsException>().Which;

        e.Message.Should().Contain(name).And.Contain(expected).And.Contain($"'{value}'");
        e.StackTrace.Should().BeNull();
    }

    [Test]
    public void A_base_URL_carrying_credentials_is_rejected_without_repeating_them()
    {
        var env = Remote("https://p-1:PTin-the-url-secret@example.signalwire.com");

        var e = FluentActions.Invoking(() => Load(env)).Should().Throw<SettingsException>().Which;

        e.Message.Should().Contain("must not carry credentials").And.NotContain("PTin-the-url-secret");
    }

    // ---- defaults

    [Test]
    public void With_nothing_set_the_run_aims_at_the_embedded_server_with_local_defaults()
    {
        var s = Load();

        s.IsEmbedded.Should().BeTrue();
        s.IsLocal.Should().BeTrue();
        s.BaseUrl.Should().BeNull();
        s.Profile.Should().BeNull();
        s.EffectiveProfile.Should().Be(Profile.Exhaustive);
        s.EffectiveConcurrency.Should().Be(8);
        s.EffectiveMaxRequestsPerSecond.Should().BeNull("the embedded server is not rate-capped");
        s.SeedGiven.Should().BeFalse();
        s.Seed.Should().BePositive();
        s.Strict.Should().BeFalse();
        s.Cleanup.Should().BeTrue();
        s.InsecureTls.Should().BeFalse("certificate validation is on unless asked");
        s.RequestTimeout.Should().Be(TimeSpan.FromSeconds(30));
        s.RunBudget.Should().Be(TimeSpan.FromMinutes(30));
        s.RateLimitBudget.Should().Be(TimeSpan.FromMinutes(2));
        s.ArtifactsDirectory.Should().Be("artifacts");
        s.PropertyIterations.Should().Be(40);
        s.HasSecondProject.Should().BeFalse();
    }

    [TestCase("http://127.0.0.1:8080")]
    [TestCase("http://localhost:5000")]
    [TestCase("http://[::1]:5000")]
    public void A_loopback_target_gets_the_local_defaults(string url)
    {
        var s = Load(Remote(url));

        s.IsEmbedded.Should().BeFalse();
        s.IsLocal.Should().BeTrue();
        s.EffectiveProfile.Should().Be(Profile.Exhaustive);
        s.EffectiveConcurrency.Should().Be(8);
        s.EffectiveMaxRequestsPerSecond.Should().BeNull();
    }

    [Test]
    public void A_remote_target_gets_conservative_load_caps_and_the_pairwise_profile()
    {
        var s = Load(Remote());

        s.IsLocal.Should().BeFalse();
        s.EffectiveProfile.Should().Be(Profile.Pairwise);
        s.EffectiveConcurrency.Should().Be(2);
        s.EffectiveMaxRequestsPerSecond.Should().Be(5);
        s.DescribeRun().Should().Contain("concurrency 2").And.Contain("max rps 5");
    }

    [Test]
    public void Explicit_caps_and_times_win_over_the_defaults()
    {
        var env = Remote();
        env[SettingsLoader.Concurrency] = "1";
        env[SettingsLoader.MaxRps] = "0.5";
        env[SettingsLoader.Timeout] = "2.5";
        env[SettingsLoader.RunBudget] = "600";
        env[SettingsLoader.RateLimitBudget] = "45";
        env[SettingsLoader.InsecureTls] = "TRUE";
        env[SettingsLoader.Profile] = "Exhaustive";

        var s = Load(env);

        s.EffectiveConcurrency.Should().Be(1);
        s.EffectiveMaxRequestsPerSecond.Should().Be(0.5);
        s.RequestTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        s.RunBudget.Should().Be(TimeSpan.FromMinutes(10));
        s.RateLimitBudget.Should().Be(TimeSpan.FromSeconds(45));
        s.InsecureTls.Should().BeTrue();
        s.EffectiveProfile.Should().Be(Profile.Exhaustive);
        var client = SipConformance.Target.ClientOptions.From(s);
        client.Concurrency.Should().Be(1);
        client.MaxRequestsPerSecond.Should().Be(0.5);
        client.RequestTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        client.RateLimitBudget.Should().Be(TimeSpan.FromSeconds(45));
        client.InsecureTls.Should().BeTrue();
    }

    [Test]
    public void What_a_run_prints_about_its_settings_never_holds_the_token()
    {
        var env = Remote();
        env[SettingsLoader.SecondProjectId] = "p-2";
        env[SettingsLoader.SecondApiToken] = "PTsecond-config-token";
        var s = Load(env);

        foreach (var text in new[] { s.Describe(), s.DescribeRun(), s.ToString() })
            text.Should().NotContain(Token).And.NotContain("PTsecond-config-token");
        s.Describe().Should().Contain("token [REDACTED]").And.Contain("second project p-2");
        s.Secrets.Select(x => x.Reveal()).Should().BeEquivalentTo([Token, "PTsecond-config-token"]);
    }

    [Test]
    public void The_caller_id_comes_from_SIPCONF_CALLER_ID_and_every_valid_payload_uses_it()
    {
        Load().CallerId.Should().BeNull();
        var s = Load(new Dictionary<string, string?>(Remote()) { [SettingsLoader.CallerId] = " +15550100123 " });
        s.CallerId.Should().Be("+15550100123");
        var factory = new SipConformance.Generation.PayloadFactory(SipConformance.Contract.SipContract.Default, SipConformance.Generation.RunIdentity.Create(1, "m"), null, s.CallerId);
        Enumerable.Range(0, 50).Select(i => factory.Valid("any", i)[SipConformance.Contract.FieldNames.CallerId]!.GetValue<string>()).Should().OnlyContain(c => c == "+15550100123");
    }

    [Test]
    public void Names_lists_every_variable_the_loader_reads()
    {
        var constants = typeof(SettingsLoader).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();

        constants.Should().NotBeEmpty();
        SettingsLoader.Names.Should().BeEquivalentTo(constants);
        SettingsLoader.Names.Should().OnlyContain(n => n.StartsWith("SIPCONF_", StringComparison.Ordinal) || n.StartsWith("SIGNALWIRE_", StringComparison.Ordinal));
    }
}
