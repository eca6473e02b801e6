using SipConformance.Rules;
using System.Globalization;
using SipConformance.Cases;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Generation.Combinatorics;
using SipConformance.Running.Probes;

namespace SipConformance.Running;

/// <summary>What one profile is predicted to cost: requests (of the largest shard) and the time they take at the rate cap.</summary>
public sealed record ProfilePrediction(Profile Profile, long Requests, TimeSpan Time)
{
    public override string ToString() =>
        $"{Profile.ToString().ToLowerInvariant()} {Requests.ToString(CultureInfo.InvariantCulture)} requests, {AutoProfile.Format(Time)}";
}

/// <summary>SIPCONF_PROFILE=auto's choice: the strongest profile whose predicted time fits the budget with headroom, and every prediction behind it.</summary>
public sealed record AutoProfileChoice(ProfilePrediction Chosen, double Rate, TimeSpan Budget, double Headroom, IReadOnlyList<ProfilePrediction> Predictions, Shard Shard)
{
    /// <summary>True when even the chosen (weakest) profile is predicted to need more than the budget allows.</summary>
    public bool Fits => Chosen.Time <= Budget * Headroom;

    /// <summary>The banner's line: the choice, its predicted requests and time, the budget and the other profiles' predictions.</summary>
    public string Describe() =>
        $"SipConformance: profile auto: {Chosen.Profile.ToString().ToLowerInvariant()}, predicted {Chosen.Requests.ToString(CultureInfo.InvariantCulture)} requests, " +
        $"{AutoProfile.Format(Chosen.Time)} at {Rate.ToString(CultureInfo.InvariantCulture)} requests/s " +
        $"(budget {AutoProfile.Format(Budget)} ({SettingsLoader.RunBudget}), {Headroom * 100:0} % of it planned{(Shard.IsWhole ? "" : $"; per shard, the largest: 1/{Shard.Count}")})" +
        (Fits ? "" : $"; WARNING: even {Chosen.Profile.ToString().ToLowerInvariant()} does not fit: raise {SettingsLoader.RunBudget} or {SettingsLoader.MaxRps}, or shard the run ({SettingsLoader.Shard})") +
        $"; predictions: {string.Join(", ", Predictions.Select(p => p.ToString()))}";
}

/// <summary>An auto-profile run's prediction beside what it did: requests sent and elapsed time.</summary>
public sealed record AutoProfileActuals(Profile Profile, long PredictedRequests, TimeSpan PredictedTime, long RequestsSent, TimeSpan Elapsed, TimeSpan Budget)
{
    public override string ToString() =>
        $"SipConformance: profile auto ({Profile.ToString().ToLowerInvariant()}): predicted {PredictedRequests.ToString(CultureInfo.InvariantCulture)} requests, {AutoProfile.Format(PredictedTime)}; " +
        $"actual {RequestsSent.ToString(CultureInfo.InvariantCulture)} requests sent, {AutoProfile.Format(Elapsed)} elapsed (budget {AutoProfile.Format(Budget)})";
}

/// <summary>
/// SIPCONF_PROFILE=auto: predicts, per profile, the requests a run sends (its cases, counted from
/// the very generators the probes use; a case the contract lets be a 200 costs its create, read-back
/// and delete, a rejected one its create), turns them into time at SIPCONF_MAX_RPS, and picks the
/// strongest profile that fits in <see cref="Headroom"/> of SIPCONF_RUN_BUDGET. Sharded, it predicts
/// shard 1 (the largest: it also runs the one-off probes), so every shard picks the same profile.
/// </summary>
public static class AutoProfile
{
    /// <summary>The share of the budget a prediction may fill (the rest absorbs 429 waits, slow answers, cleanup).</summary>
    public const double Headroom = 0.8;

    /// <summary>What every shard sends beside its phases' plans: the end-of-run cleanup's list reads (a page or two per project).</summary>
    public const int PerShardRequests = 4;

    /// <summary>Strongest first: the order auto tries the profiles in.</summary>
    public static readonly IReadOnlyList<Profile> StrongestFirst = [Profile.Exhaustive, Profile.Threewise, Profile.Pairwise, Profile.Smoke];

    /// <summary>The time <paramref name="requests"/> take at <paramref name="rate"/> requests per second.</summary>
    public static TimeSpan TimeFor(long requests, double rate) => TimeSpan.FromSeconds(requests / rate);

    /// <summary>
    /// The strongest profile whose predicted time is at most <paramref name="headroom"/> of the budget;
    /// when none fits, the weakest (smoke), and <see cref="AutoProfileChoice.Fits"/> says so.
    /// <paramref name="predict"/> is asked only for the profiles it has to look at (strongest first).
    /// </summary>
    public static AutoProfileChoice Choose(Func<Profile, long> predict, double rate, TimeSpan budget, double headroom = Headroom, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(predict);
        if (!(rate > 0)) throw new ArgumentOutOfRangeException(nameof(rate), "the rate must be positive");
        var predictions = new List<ProfilePrediction>();
        ProfilePrediction? chosen = null;
        foreach (var profile in StrongestFirst)
        {
            var requests = predict(profile);
            var p = new ProfilePrediction(profile, requests, TimeFor(requests, rate));
            predictions.Add(p);
            if (p.Time <= budget * headroom) { chosen = p; break; }
        }
        return new AutoProfileChoice(chosen ?? predictions[^1], rate, budget, headroom, predictions, shard ?? Shard.Whole);
    }

    /// <summary>The choice for a run (before it sends anything): its rate cap, its budget, its cases.</summary>
    public static AutoProfileChoice Choose(SuiteRun run)
    {
        var rate = run.Settings.EffectiveMaxRequestsPerSecond
                   ?? throw new SettingsException($"{SettingsLoader.Profile}=auto needs a rate to predict the run's time: set {SettingsLoader.MaxRps}.");
        var largest = new Shard(1, run.Settings.Shard.Count);
        return Choose(p => Predict(run, p, largest), rate, run.Settings.RunBudget, Headroom, run.Settings.Shard);
    }

    /// <summary>
    /// The requests <paramref name="shard"/> of a run with <paramref name="profile"/> is predicted to
    /// send: the sum of the plans of the phases the run runs in that shard (the very phases it executes), and the cleanup's list reads.
    /// </summary>
    public static long Predict(SuiteRun run, Profile profile, Shard shard)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Probes.Where(p => run.Runs(p, shard)).Sum(p => p.PlannedRequests(run, profile, shard)) + PerShardRequests;
    }

    /// <summary>"45 s", "4.3 min", "2.1 h".</summary>
    public static string Format(TimeSpan t) =>
        t.TotalSeconds < 90 ? $"{t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : t.TotalMinutes < 90 ? $"{t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h";
}
