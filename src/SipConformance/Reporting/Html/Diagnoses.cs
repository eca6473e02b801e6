using System.Globalization;
using SipConformance.Rules;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Findings;

namespace SipConformance.Reporting.Html;

/// <summary>
/// Reads a findings document for what makes its verdict less than it seems (Schemathesis puts
/// such warnings first): most creates answered 401, the 200 bodies being another revision's
/// answer, rate limiting or the run budget cutting the run short, no resource id, no second
/// project, checks that judged no request. A pure function of the document, most telling first.
/// </summary>
public static class Diagnoses
{
    public static IReadOnlyList<Diagnosis> From(FindingsDocument doc, SipContract? contract = null)
    {
        // The contract of the document's own revision (a file of a revision this build does not ship: the default's).
        var c = contract ?? SipContract.Of(SipContract.Revisions.Contains(doc.ContractRevision) ? doc.ContractRevision : SipContract.DefaultRevision);
        var found = new List<Diagnosis>();
        void Add(Diagnosis? d)
        {
            if (d is not null) found.Add(d);
        }
        var callerId = CallerId(doc);
        Add(callerId);
        Add(Credentials(doc, c));
        Add(SchemaRevision(doc));
        Add(RateLimit(doc));
        Add(RunBudget(doc));
        var resource = Resource(doc);
        var isolation = Isolation(doc);
        Add(resource);
        Add(isolation);
        Add(SentNothing(doc, [.. callerId?.Checks ?? [], .. resource?.Checks ?? [], .. isolation?.Checks ?? []]));
        return found;
    }

    /// <summary>The status the contract answers bad credentials with (the one whose body is the 401 schema).</summary>
    public static int UnauthorizedStatus(SipContract c) =>
        c.DocumentedStatuses(SchemaNames.CreateOperation).Single(s => c.ResponseSchema(SchemaNames.CreateOperation, s) == SchemaNames.Unauthorized);

    private static Diagnosis? Credentials(FindingsDocument doc, SipContract c)
    {
        if (doc.CreateStatuses is not { Count: > 0 } statuses) return null;
        var total = statuses.Values.Sum();
        var status = UnauthorizedStatus(c);
        var rejected = statuses.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture));
        if (rejected * 2 <= total) return null;
        return new Diagnosis("credentials",
            $"{rejected} of the run's {total} creates were answered {status}: most checks judged a rejection, not the API",
            $"the credentials: {SettingsLoader.ProjectId} and {SettingsLoader.ApiToken} (or {SettingsLoader.FallbackProjectId}, {SettingsLoader.FallbackApiToken}) must name a project of the target and its token",
            doc.Checks.Where(k => k.Broken && k.Area == Success.Section.Name).Select(k => k.Id).ToList());
    }

    /// <summary>
    /// The baseline refused for its generated caller id (SIPCONF_CALLER_ID unset): the contract lets a project take
    /// only its own numbers, so this is no FAIL; the phases that need a 200 were not run, their checks SKIPPED.
    /// </summary>
    private static Diagnosis? CallerId(FindingsDocument doc)
    {
        if (doc.Learned is not { BaselineRefusedByCallerId: true } learned) return null;
        return new Diagnosis("caller-id",
            $"the target refuses the generated caller id: the baseline payload, and every one the learning phase varied in another field, was answered {learned.BaselineStatus}; " +
            "the checks that need a 200 could not be judged and are SKIPPED",
            $"set {SettingsLoader.CallerId} to a number the project owns",
            SkippedFor(doc, SettingsLoader.CallerId));
    }

    private static Diagnosis? SchemaRevision(FindingsDocument doc)
    {
        if (doc.SchemaRevisionProbe is not { } p || p.Failed * 2 <= p.Held + p.Failed || p.Examined == 0 || p.ValidUnderRevision * 2 <= p.Examined) return null;
        var all = p.ValidUnderRevision == p.Examined;
        return new Diagnosis("schema-revision",
            $"{p.Failed} of {p.Held + p.Failed} 200 bodies fail {SchemaNames.EndpointResponse} ({p.Check}), and {(all ? "every one" : $"{p.ValidUnderRevision}")} of the {p.Examined} kept validates against the {p.Revision} revision's {p.Schema} instead: " +
            $"the target answers the {p.Revision} revision{(all ? "; that is the one cause of those FAILs" : " most of the time")}",
            $"the server must answer the {doc.ContractRevision} revision's {SchemaNames.EndpointResponse} (the revision this suite enforces), or the suite must be aimed at the revision the server implements",
            [p.Check]);
    }

    private static Diagnosis? RateLimit(FindingsDocument doc)
    {
        var check = doc.Checks.FirstOrDefault(k => k.Id == Http.RateLimit.Id);
        if (check is not { Broken: true }) return null;
        return new Diagnosis("rate-limit",
            $"rate limiting outlasted the suite's wait {check.Violations} time(s) ({check.Id}): those requests were never judged",
            $"{SettingsLoader.RateLimitBudget} (wait longer) or {SettingsLoader.MaxRps} (send slower)",
            [check.Id]);
    }

    private static Diagnosis? RunBudget(FindingsDocument doc)
    {
        var check = doc.Checks.FirstOrDefault(k => k.Id == Http.CompleteAnswer.Id);
        if (check?.Evidence.FirstOrDefault(e => e.Settings.Contains(SettingsLoader.RunBudget)) is not { } e) return null;
        return new Diagnosis("run-budget", $"the run stopped before it finished: {e.Message}",
            $"{SettingsLoader.RunBudget} (a longer budget) or {SettingsLoader.Profile} (a smaller profile)", [check.Id]);
    }

    private static Diagnosis? Resource(FindingsDocument doc)
    {
        var skipped = SkippedFor(doc, SettingsLoader.ResourceId);
        if (doc.ResourceConfigured != false && skipped.Count == 0) return null;
        var rows = doc.Combinations?.SkippedRows ?? 0;
        return new Diagnosis("resource",
            $"no resource id: every call_handler {CallHandlerValues.Resource} case was skipped" +
            (rows > 0 ? $" ({rows} combination row(s) not sent)" : "") + (skipped.Count > 0 ? $"; {skipped.Count} check(s) name it in their skip reason" : ""),
            $"{SettingsLoader.ResourceId}: the id of an existing resource of the project", skipped);
    }

    private static Diagnosis? Isolation(FindingsDocument doc)
    {
        var iso = new[] { Rules.Isolation.Read.Id, Rules.Isolation.Delete.Id };
        var skipped = doc.Checks.Where(k => iso.Contains(k.Id) && k.Outcome == Outcome.Skipped && !FindingsDocument.LeftOut(k)).Select(k => k.Id).ToList();
        if (doc.SecondProjectConfigured != false && skipped.Count == 0) return null;
        return new Diagnosis("isolation",
            "isolation between projects was not checked: no second project" + (skipped.Count > 0 ? $" ({string.Join(", ", skipped)} SKIPPED)" : ""),
            $"{SettingsLoader.SecondProjectId} and {SettingsLoader.SecondApiToken}: another project of the same target", skipped);
    }

    private static Diagnosis? SentNothing(FindingsDocument doc, IReadOnlyCollection<string> explained)
    {
        // CREATE-HTTP-003 judges only 429s: SKIPPED there means no rate limiting was met, which is no gap.
        // A check left out by --filter was not run on purpose: the header's filter row says so.
        var idle = doc.Checks.Where(k => k.Requests == 0 && k.Id != Http.RateLimit.Id && !explained.Contains(k.Id) && !FindingsDocument.LeftOut(k)).ToList();
        if (idle.Count == 0) return null;
        var settings = idle.SelectMany(k => k.SkipSettings).Distinct().ToList();
        return new Diagnosis("sent-nothing",
            $"{idle.Count} check(s) judged no request, so their outcome says nothing about the target: " +
            string.Join("; ", idle.Select(k => $"{k.Id} {k.Outcome.Label()}" + (k.SkipReason is { } r ? $" ({r})" : ""))),
            settings.Count > 0 ? string.Join(", ", settings) : "what each one's reason names",
            idle.Select(k => k.Id).ToList());
    }

    private static List<string> SkippedFor(FindingsDocument doc, string setting) =>
        doc.Checks.Where(k => k.SkipSettings.Contains(setting)).Select(k => k.Id).ToList();
}
