namespace SipConformance.Configuration;

/// <summary>
/// Everything a run needs to know about its target and its own behaviour, read from SIPCONF_*
/// environment variables and .runsettings TestRunParameters (environment wins).
/// A run is repeatable from its settings: target, profile, seed, strictness.
/// </summary>
public sealed record SuiteSettings
{
    /// <summary>The target's base URL; null means "start the embedded reference server".</summary>
    public Uri? BaseUrl { get; init; }
    public string? ProjectId { get; init; }
    public Secret? ApiToken { get; init; }
    /// <summary>An existing resource of the project usable as calling_handler_resource_id.</summary>
    public string? ResourceId { get; init; }
    public string? SecondProjectId { get; init; }
    public Secret? SecondApiToken { get; init; }
    /// <summary>A resource of the second project (SIPCONF_SECOND_RESOURCE_ID): the first project must not be able to use it as a call handler.</summary>
    public string? SecondResourceId { get; init; }

    /// <summary>A caller id the target is known to accept (SIPCONF_CALLER_ID), for a project that takes only its own numbers; every valid payload uses it.</summary>
    public string? CallerId { get; init; }

    /// <summary>The profile asked for; null means the default for the target (see <see cref="EffectiveProfile"/>).</summary>
    public Profile? Profile { get; init; }
    /// <summary>
    /// SIPCONF_PROFILE=auto: the run chooses the strongest profile whose predicted requests fit the
    /// run budget at the rate cap (the run sets <see cref="Profile"/> to its choice, see Running.AutoProfile).
    /// </summary>
    public bool AutoProfile { get; init; }
    /// <summary>Which part of the run this is (SIPCONF_SHARD=i/n); <see cref="Shard.Whole"/> when unsharded.</summary>
    public Shard Shard { get; init; } = Shard.Whole;
    /// <summary>The contract revision the target is held to (SIPCONF_REVISION): 2026-03-18 (default) or 2026-08-21.</summary>
    public string Revision { get; init; } = SipConformance.Contract.SipContract.DefaultRevision;
    /// <summary>The checks the run judges (SIPCONF_FILTER, `sipconf run --filter`); <see cref="CheckFilter.None"/>: every check.</summary>
    public CheckFilter Filter { get; init; } = CheckFilter.None;
    public required long Seed { get; init; }
    /// <summary>True when the seed came from SIPCONF_SEED, false when the run drew a fresh one.</summary>
    public bool SeedGiven { get; init; }
    /// <summary>The run's marker (SIPCONF_RUN_MARKER); null: a fresh one. Every username carries it.</summary>
    public string? RunMarker { get; init; }
    public bool Strict { get; init; }
    public bool Cleanup { get; init; } = true;

    /// <summary>Requests per second at most (SIPCONF_MAX_RPS); null = unlimited.</summary>
    public double? MaxRequestsPerSecond { get; init; }
    /// <summary>Requests in flight at most (SIPCONF_CONCURRENCY).</summary>
    public int? Concurrency { get; init; }
    /// <summary>Per-request timeout (SIPCONF_TIMEOUT, seconds).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The whole run's time budget (SIPCONF_RUN_BUDGET, seconds).</summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>How long the suite waits out 429 answers for one request, at most.</summary>
    public TimeSpan RateLimitBudget { get; init; } = TimeSpan.FromMinutes(2);
    public bool InsecureTls { get; init; }
    /// <summary>Where reports and the cleanup journal go (SIPCONF_ARTIFACTS).</summary>
    public string ArtifactsDirectory { get; init; } = "artifacts";
    /// <summary>Property-based runs per property (SIPCONF_PROPERTY_ITERATIONS).</summary>
    public int PropertyIterations { get; init; } = 40;

    public string PactConsumer { get; init; } = "sip-endpoint-client";
    public string PactProvider { get; init; } = "signalwire-fabric-api";
    public string? ConsumerVersion { get; init; }

    /// <summary>True when the run aims at the embedded reference server.</summary>
    public bool IsEmbedded => BaseUrl is null;

    /// <summary>True when the target is on this machine (embedded, or a loopback address).</summary>
    public bool IsLocal => BaseUrl is null || BaseUrl.IsLoopback;

    public bool HasSecondProject => SecondProjectId is not null && SecondApiToken is not null;

    /// <summary>
    /// The profile the run uses: the one asked for, else exhaustive on this machine (embedded
    /// server or loopback) and pairwise against a remote target.
    /// </summary>
    public Profile EffectiveProfile => Profile ?? (IsLocal ? Configuration.Profile.Exhaustive : Configuration.Profile.Pairwise);

    /// <summary>Requests in flight: as asked, else 8 on this machine and 2 against a remote target.</summary>
    public int EffectiveConcurrency => Concurrency ?? (IsLocal ? 8 : 2);

    /// <summary>
    /// Cases under way at once in a phase that sends many: more than the requests in flight (the client's pacer holds those
    /// to <see cref="EffectiveConcurrency"/>), so a case waiting out a 429, which waits outside the pacer, leaves its slot
    /// to the others instead of stalling a quarter of the phase.
    /// </summary>
    public int CasesUnderWay => EffectiveConcurrency * 4;

    /// <summary>Request rate cap: as asked, else none on this machine and 5 per second against a remote target.</summary>
    public double? EffectiveMaxRequestsPerSecond => MaxRequestsPerSecond ?? (IsLocal ? null : 5);

    /// <summary>The secrets this run knows, for redaction.</summary>
    public IEnumerable<Secret> Secrets => new[] { ApiToken, SecondApiToken }.OfType<Secret>();

    /// <summary>" (default)", " (auto)" or nothing (asked for by name).</summary>
    private string ProfileOrigin => AutoProfile ? " (auto)" : Profile is null ? " (default)" : "";

    /// <summary>How the run behaves: profile, seed, strictness, cleanup, load caps.</summary>
    public string DescribeRun() =>
        $"profile {EffectiveProfile.ToString().ToLowerInvariant()}{ProfileOrigin}{(Shard.IsWhole ? "" : $", shard {Shard}")}{(Filter.IsNone ? "" : $", filter {Filter}")}, seed {Seed}{(SeedGiven ? "" : " (fresh)")}, " +
        $"strict {Strict.ToString().ToLowerInvariant()}, cleanup {Cleanup.ToString().ToLowerInvariant()}, concurrency {EffectiveConcurrency}, " +
        $"max rps {(EffectiveMaxRequestsPerSecond is { } r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unlimited")}, timeout {RequestTimeout.TotalSeconds:0.#} s, budget {RunBudget.TotalMinutes:0.#} min";

    /// <summary>One line that says what the run aims at, with the token redacted.</summary>
    public string Describe() =>
        $"target {(IsEmbedded ? "embedded reference server" : BaseUrl!.ToString())}, project {ProjectId ?? "(none)"}, token {(ApiToken is null ? "(none)" : Secret.Mask)}, " +
        $"resource {ResourceId ?? "(none)"}, second project {(HasSecondProject ? SecondProjectId : "(none)")}, profile {EffectiveProfile.ToString().ToLowerInvariant()}{ProfileOrigin}, " +
        $"seed {Seed}{(SeedGiven ? "" : " (fresh)")}, strict {Strict.ToString().ToLowerInvariant()}, cleanup {Cleanup.ToString().ToLowerInvariant()}";
}
