using System.Globalization;
using System.Security.Cryptography;

namespace SipConformance.Configuration;

/// <summary>A configuration problem the user must fix; its message is one line meant for a person.</summary>
public sealed class SettingsException(string message) : Exception(message)
{
    /// <summary>None: a configuration error is one line for a person, not a stack trace.</summary>
    public override string? StackTrace => null;
}

/// <summary>
/// Reads <see cref="SuiteSettings"/> from the environment and from .runsettings TestRunParameters
/// (the same names, SIPCONF_*); a non-empty environment variable wins over a parameter.
/// </summary>
public static class SettingsLoader
{
    public const string BaseUrl = "SIPCONF_BASE_URL";
    public const string ProjectId = "SIPCONF_PROJECT_ID";
    public const string ApiToken = "SIPCONF_API_TOKEN";
    public const string ResourceId = "SIPCONF_RESOURCE_ID";
    public const string SecondProjectId = "SIPCONF_SECOND_PROJECT_ID";
    public const string SecondApiToken = "SIPCONF_SECOND_API_TOKEN";
    public const string SecondResourceId = "SIPCONF_SECOND_RESOURCE_ID";
    public const string Profile = "SIPCONF_PROFILE";
    public const string Seed = "SIPCONF_SEED";
    public const string RunMarker = "SIPCONF_RUN_MARKER";
    public const string Strict = "SIPCONF_STRICT";
    public const string Cleanup = "SIPCONF_CLEANUP";
    public const string MaxRps = "SIPCONF_MAX_RPS";
    public const string Concurrency = "SIPCONF_CONCURRENCY";
    public const string Timeout = "SIPCONF_TIMEOUT";
    public const string RunBudget = "SIPCONF_RUN_BUDGET";
    public const string RateLimitBudget = "SIPCONF_RATE_LIMIT_BUDGET";
    public const string InsecureTls = "SIPCONF_INSECURE_TLS";
    public const string Artifacts = "SIPCONF_ARTIFACTS";
    public const string PropertyIterations = "SIPCONF_PROPERTY_ITERATIONS";
    public const string PactConsumer = "SIPCONF_PACT_CONSUMER";
    public const string PactProvider = "SIPCONF_PACT_PROVIDER";
    public const string ConsumerVersion = "SIPCONF_CONSUMER_VERSION";
    public const string Shard = "SIPCONF_SHARD";
    public const string Revision = "SIPCONF_REVISION";
    public const string CallerId = "SIPCONF_CALLER_ID";
    public const string Filter = "SIPCONF_FILTER";
    public const string FallbackProjectId = "SIGNALWIRE_PROJECT_ID";
    public const string FallbackApiToken = "SIGNALWIRE_API_TOKEN";
    public const string Space = "SIGNALWIRE_SPACE";

    /// <summary>Every variable the loader reads (for documentation and for tests).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        BaseUrl, ProjectId, ApiToken, ResourceId, SecondProjectId, SecondApiToken, SecondResourceId, Profile, Seed, RunMarker, Strict, Cleanup,
        MaxRps, Concurrency, Timeout, RunBudget, RateLimitBudget, InsecureTls, Artifacts, PropertyIterations,
        PactConsumer, PactProvider, ConsumerVersion, Shard, Revision, CallerId, Filter, FallbackProjectId, FallbackApiToken, Space,
    ];

    /// <summary>Reads the process environment and the given run parameters.</summary>
    public static SuiteSettings Load(IReadOnlyDictionary<string, string?>? runParameters = null) =>
        Load(name => Environment.GetEnvironmentVariable(name), runParameters ?? new Dictionary<string, string?>());

    public static SuiteSettings Load(Func<string, string?> environment, IReadOnlyDictionary<string, string?> runParameters)
    {
        string? Get(string name)
        {
            var env = environment(name);
            if (!string.IsNullOrWhiteSpace(env)) return env.Trim();
            return runParameters.TryGetValue(name, out var p) && !string.IsNullOrWhiteSpace(p) ? p.Trim() : null;
        }

        var baseUrl = ParseBaseUrl(Get(BaseUrl), Get(Space));
        var projectId = Get(ProjectId) ?? Get(FallbackProjectId);
        var token = Get(ApiToken) ?? Get(FallbackApiToken);
        var secondProject = Get(SecondProjectId);
        var secondToken = Get(SecondApiToken);

        if (baseUrl is not null && (projectId is null || token is null))
            throw new SettingsException(
                $"{BaseUrl} is {baseUrl} but the credentials are missing: set {ProjectId} and {ApiToken} (or {FallbackProjectId} and {FallbackApiToken}), or unset {BaseUrl} to use the embedded reference server.");
        if ((secondProject is null) != (secondToken is null))
            throw new SettingsException($"set both {SecondProjectId} and {SecondApiToken}, or neither.");

        var seedText = Get(Seed);
        long seed;
        if (seedText is null) seed = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        else if (!long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            throw new SettingsException($"{Seed} must be a whole number, not '{seedText}'.");

        var settings = new SuiteSettings
        {
            BaseUrl = baseUrl,
            ProjectId = projectId,
            ApiToken = token is null ? null : new Secret(token),
            ResourceId = Get(ResourceId),
            SecondProjectId = secondProject,
            SecondApiToken = secondToken is null ? null : new Secret(secondToken),
            SecondResourceId = Get(SecondResourceId),
            CallerId = Get(CallerId)?.Trim(),
            Profile = IsAuto(Get(Profile)) ? null : ParseProfile(Get(Profile)),
            AutoProfile = IsAuto(Get(Profile)),
            Seed = seed,
            SeedGiven = seedText is not null,
            RunMarker = ParseMarker(Get(RunMarker)),
            Strict = ParseBool(Strict, Get(Strict), false),
            Cleanup = ParseBool(Cleanup, Get(Cleanup), true),
            MaxRequestsPerSecond = ParsePositive(MaxRps, Get(MaxRps)),
            Concurrency = (int?)ParsePositive(Concurrency, Get(Concurrency)),
            RequestTimeout = Seconds(Timeout, Get(Timeout)) ?? TimeSpan.FromSeconds(30),
            RunBudget = Duration(RunBudget, Get(RunBudget)) ?? TimeSpan.FromMinutes(30),
            RateLimitBudget = Seconds(RateLimitBudget, Get(RateLimitBudget)) ?? TimeSpan.FromMinutes(2),
            InsecureTls = ParseBool(InsecureTls, Get(InsecureTls), false),
            ArtifactsDirectory = Get(Artifacts) ?? "artifacts",
            PropertyIterations = (int?)ParsePositive(PropertyIterations, Get(PropertyIterations)) ?? 40,
            PactConsumer = Get(PactConsumer) ?? "sip-endpoint-client",
            PactProvider = Get(PactProvider) ?? "signalwire-fabric-api",
            ConsumerVersion = Get(ConsumerVersion),
            Shard = Get(Shard) is { } shard ? Configuration.Shard.Parse(shard) : Configuration.Shard.Whole,
            Revision = ParseRevision(Get(Revision)),
            Filter = CheckFilter.Parse(Get(Filter)),
        };
        if (settings.AutoProfile && settings.EffectiveMaxRequestsPerSecond is null)
            throw new SettingsException($"{Profile}=auto needs a rate to predict the run's time: set {MaxRps} (a target on this machine has no rate cap by default).");
        return settings;
    }

    /// <summary>SIPCONF_PROFILE=auto: the run picks the strongest profile that fits its budget at its rate (see <see cref="AutoProfile"/>).</summary>
    private static bool IsAuto(string? text) => string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>A duration: seconds ("600"), or a number with a unit: "600s", "10m", "1.5h".</summary>
    public static TimeSpan? Duration(string name, string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.Length > 0 && char.IsLetter(t[^1]) ? (t[..^1], t[^1]) : (t, 's');
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => double.NaN };
        if (!double.IsNaN(scale) && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && !double.IsInfinity(v * scale))
            return TimeSpan.FromSeconds(v * scale);
        throw new SettingsException($"{name} must be a positive number of seconds or a duration such as 600s, 10m or 1h, not '{text}'.");
    }

    private static Uri? ParseBaseUrl(string? baseUrl, string? space)
    {
        var text = baseUrl ?? (space is null ? null : "https://" + space.Trim().TrimEnd('/'));
        if (text is null) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new SettingsException($"{(baseUrl is null ? Space : BaseUrl)} must be an http(s) URL, not '{WithoutUserInfo(text)}'.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new SettingsException($"{BaseUrl} must not carry credentials; use {ProjectId} and {ApiToken}.");
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    /// <summary>The text with anything between "://" and "@" masked: a URL's credentials are never echoed.</summary>
    private static string WithoutUserInfo(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.LastIndexOf('@');
        return at > 0 ? (scheme >= 0 && scheme < at ? text[..(scheme + 3)] : "") + Secret.Mask + text[at..] : text;
    }

    private static Profile? ParseProfile(string? text)
    {
        if (text is null) return null;
        return !text.Any(char.IsDigit) && Enum.TryParse<Profile>(text, ignoreCase: true, out var p) && Enum.IsDefined(p)
            ? p
            : throw new SettingsException($"{Profile} must be one of smoke, pairwise, threewise, exhaustive, auto, not '{text}'.");
    }

    /// <summary>A contract revision this project ships (SIPCONF_REVISION); unset: the default, 2026-03-18.</summary>
    public static string ParseRevision(string? text) =>
        text is null ? SipConformance.Contract.SipContract.DefaultRevision
        : SipConformance.Contract.SipContract.Revisions.Contains(text) ? text
        : throw new SettingsException($"{Revision} must be one of {string.Join(", ", SipConformance.Contract.SipContract.Revisions)}, not '{text}'.");

    private static string? ParseMarker(string? text) =>
        text is null || System.Text.RegularExpressions.Regex.IsMatch(text, "^[a-z0-9]{1,16}$") ? text
            : throw new SettingsException($"{RunMarker} must be 1 to 16 lower-case letters or digits, not '{text}'.");

    private static bool ParseBool(string name, string? text, bool fallback) => text?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new SettingsException($"{name} must be true or false, not '{text}'."),
    };

    private static double? ParsePositive(string name, string? text)
    {
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new SettingsException($"{name} must be a positive number, not '{text}'.");
    }

    private static TimeSpan? Seconds(string name, string? text) => ParsePositive(name, text) is { } s ? TimeSpan.FromSeconds(s) : null;
}
