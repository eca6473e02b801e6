using System.Text.Json;
using SipConformance.Cases;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Rules.Observations;
using SipConformance.Target;
using FieldNames = SipConformance.Contract.FieldNames;

namespace SipConformance.Running.Probes;

/// <summary>
/// The contract's "a rule holds under concurrency too: requests that arrive at the same moment get
/// the answers the contract allows each of them alone". Sends groups of related requests of one
/// project at the same moment (all started, held at a gate, released together, awaited together)
/// and hands every answer to the rules that judge it alone:
/// <list type="number">
/// <item>two creates of one new username (CREATE-VAL-018: each allowed what a duplicate username is);</item>
/// <item>a burst of valid creates (the create rules; never a 5xx, CREATE-MISC-003);</item>
/// <item>GETs of an existing endpoint while a create and a delete of the project are in flight (CREATE-READ-001);</item>
/// <item>a DELETE landing while the list is being read, then GET, list and DELETE again (CREATE-DEL-002/003/004);</item>
/// <item>refused creates overlapping a valid create, then the list (CREATE-VAL-016).</item>
/// </list>
/// A loaded machine may spread one try over more than the moment it aims at, so each group is tried
/// up to <see cref="Tries"/> times, and stops once its rule broke. With <paramref name="atOnce"/> false
/// (for the self-tests' control) each group's requests go one after another instead, in the same order.
/// </summary>
public sealed class ConcurrencyProbe(bool atOnce = true) : Probe
{
    public override string Name => "concurrency";

    /// <summary>Creates, reads, deletes, list reads and refused creates sent at once: the rules of those answers, each as if it came alone.</summary>
    public override bool Feeds(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Feeding.Creates(rule) || Feeding.OwnsMutations(rule) || Feeding.Lists(rule) || rule.Section == ReadBack.Section
            || rule.Section == Deleting.Section || rule.Section == Validation.Section;
    }

    /// <summary>Whether a group's requests leave together (false: one after another, each awaited).</summary>
    public bool AtOnce => atOnce;

    /// <summary>A one-off sequence: shard 1 sends it.</summary>
    public override bool OneOff => true;

    /// <summary>How often each group is sent (fewer once its rule broke).</summary>
    public const int Tries = 3;

    /// <summary>Valid creates sent at once in the burst.</summary>
    public const int Burst = 3;

    /// <summary>GETs of one endpoint sent at once with a create and a delete of its project.</summary>
    public const int Readers = 2;

    /// <summary>Refused creates sent at once with one valid create.</summary>
    public const int Refused = 2;

    /// <summary>When the DELETE leaves after the list read (per try): inside a 100 ms moment, after the list's request.</summary>
    private static readonly TimeSpan[] DeleteLag = [TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10)];

    /// <summary>When the valid create leaves after the refused ones (per try): while they are being validated.</summary>
    private static readonly TimeSpan[] ValidLag = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(5)];

    /// <summary>
    /// Per try, against a server that creates every valid payload (a username may be used twice): the duplicate pair and its
    /// deletes (4), the burst and its deletes (2 × <see cref="Burst"/>), the readers with a create and a delete (<see cref="Readers"/> + 2),
    /// create, list, delete, GET, list, DELETE again (6), the refused creates, the valid one, its delete and the list (<see cref="Refused"/> + 3);
    /// once: the endpoint the readers read (create, delete).
    /// </summary>
    public override long PlannedRequests(SuiteRun run, Configuration.Profile profile, Configuration.Shard shard) =>
        Tries * (4 + 2 * Burst + Readers + 2 + 6 + Refused + 3) + 2;

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        try
        {
            Func<Task>[] groups =
            [
                () => DuplicateUsernameAsync(run, ct),
                () => BurstAsync(run, ct),
                () => ReadDuringWritesAsync(run, ct),
                () => DeleteDuringListAsync(run, ct),
                () => RefusedBesideValidAsync(run, ct),
            ];
            // One group after another, so that each group's requests meet only each other; against a target that rate-limits,
            // side by side: each try of a group waits for its slowest request, which there is often one that waited out a 429,
            // and the groups' rules hold whatever else the project receives meanwhile (no rule here reads the list as complete).
            await InTurnOrTogetherAsync(atOnce && run.RateLimited, groups).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped (cancelled or out of budget): what was answered is judged; the journal holds what is left to delete.
        }
    }

    /// <summary>Two creates of one new username at once: each is allowed what CREATE-VAL-018 allows a duplicate (the other may come first), never a 5xx.</summary>
    private async Task DuplicateUsernameAsync(SuiteRun run, CancellationToken ct)
    {
        var broke = Watch(run, Validation.DuplicateUsername, Misc.NoServerError);
        await TriesAsync(run, broke, async t =>
        {
            var first = run.ValidCase(Name, 100 + 2 * t);
            var username = first.Payload![FieldNames.Username]!.GetValue<string>();
            var cases = new[]
            {
                first.Named($"one of two creates of the new username {username} sent at once").Build(Validation.DuplicateUsername),
                run.ValidCase(Name, 101 + 2 * t).Named($"the other of two creates of the new username {username} sent at once")
                    .Change(p => p[FieldNames.Username] = username).Build(Validation.DuplicateUsername),
            };
            await CreateTogetherAsync(run, cases, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Several valid creates at once: each is a valid create alone (200, never a 5xx).</summary>
    private async Task BurstAsync(SuiteRun run, CancellationToken ct)
    {
        var broke = Watch(run, Misc.NoServerError, Success.Status);
        await TriesAsync(run, broke, async t =>
        {
            var cases = Enumerable.Range(0, Burst)
                .Select(i => run.ValidCase(Name, 200 + Burst * t + i).Named($"a valid create, one of {Burst} sent at once").Build(Success.Status)).ToList();
            await CreateTogetherAsync(run, cases, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>GETs of an existing endpoint while a create and a delete of the same project are in flight: each GET is 200 with the created data.</summary>
    private async Task ReadDuringWritesAsync(SuiteRun run, CancellationToken ct)
    {
        var primary = run.Target.Primary;
        var endpoint = run.ValidCase(Name, 300).Named("an endpoint read while its project is written").Build(Success.Status);
        var made = await run.Api.CreateAsync(endpoint.Project, endpoint.Auth, endpoint.Body, endpoint.ContentType, ct).ConfigureAwait(false);
        run.Evaluator.Create(endpoint, made, null);
        if (SipApi.CreatedId(made) is not { } id || made.Response is not { Json: { ValueKind: JsonValueKind.Object } created } answer || answer.Status != Statuses.Ok)
        {
            await CleanupAsync(run, endpoint, made, ct).ConfigureAwait(false);
            return;
        }

        var broke = Watch(run, ReadBack.SameData);
        (CreateCase Case, Exchange Create)? previous = null;
        for (var t = 0; t < Tries && !broke() && !ct.IsCancellationRequested; t++)
        {
            var writer = run.ValidCase(Name, 301 + t).Named("a create sent while the project's endpoint is read").Build(Success.Status);
            var reads = new Exchange[Readers];
            Exchange? written = null, deleted = null;
            var prior = previous;
            var sends = new List<Func<Task>>
            {
                async () => written = await run.Api.CreateAsync(writer.Project, writer.Auth, writer.Body, writer.ContentType, ct).ConfigureAwait(false),
            };
            for (var i = 0; i < Readers; i++)
            {
                var n = i;
                sends.Add(async () => reads[n] = await run.Api.GetAsync(primary.Auth, id, ct).ConfigureAwait(false));
            }
            if (prior is { } p && SipApi.CreatedId(p.Create) is { } priorId && run.Settings.Cleanup)
                sends.Add(async () => deleted = await run.Api.DeleteAsync(p.Case.Project, priorId, ct: ct).ConfigureAwait(false));
            await SendAsync(sends).ConfigureAwait(false);

            for (var i = 0; i < Readers; i++)
            {
                var name = $"GET of {id}, one of {Readers} sent at once with a create{(deleted is null ? "" : " and a delete")} of its project (try {t + 1})";
                if (run.Evaluator.Answer(reads[i], name)) run.Evaluator.Dispatch(new ReadBackSeen(endpoint, created, reads[i], name));
            }
            run.Evaluator.Create(writer, written!, null);
            if (deleted is not null) run.Evaluator.Delete(deleted, prior!.Value.Case.Describe() + " (cleanup, sent at once with GETs)");
            else if (prior is { } q) await CleanupAsync(run, q.Case, q.Create, ct).ConfigureAwait(false);
            previous = (writer, written!);
        }
        if (previous is { } last) await CleanupAsync(run, last.Case, last.Create, ct).ConfigureAwait(false);
        await CleanupAsync(run, endpoint, made, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A DELETE that lands while the list is being read: the list may hold the endpoint or not, but once the DELETE
    /// answered 204, GET is 404, a later list no longer holds it and a second DELETE is 404.
    /// </summary>
    private async Task DeleteDuringListAsync(SuiteRun run, CancellationToken ct)
    {
        var primary = run.Target.Primary;
        var broke = Watch(run, Deleting.ReadGone, Deleting.ListGone, Deleting.UnknownId);
        var refused = false;
        await TriesAsync(run, () => broke() || Volatile.Read(ref refused), async t =>
        {
            var c = run.ValidCase(Name, 400 + t).Named("an endpoint deleted while the list is read").Build(Success.Status);
            var made = await run.Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, ct).ConfigureAwait(false);
            run.Evaluator.Create(c, made, null);
            if (SipApi.CreatedId(made) is not { } id)
            {
                Volatile.Write(ref refused, true);
                return;
            }

            ListResult? during = null;
            Exchange? delete = null;
            var lag = DeleteLag[t % DeleteLag.Length];
            await SendAsync(
                async () => during = await run.Api.ListAllAsync(primary.Auth, ct).ConfigureAwait(false),
                async () =>
                {
                    await Task.Delay(lag, ct).ConfigureAwait(false);
                    delete = await run.Api.DeleteAsync(primary, id, ct: ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
            var name = $"the {primary.Label} project's list, read while {id} was deleted (the DELETE {lag.TotalMilliseconds:0} ms after it)";
            run.Evaluator.List(during!, name, primary);
            run.Evaluator.Delete(delete!, $"DELETE of {id}, sent while the list was read");

            // Once the DELETE answered: GET and the list (neither writes, so they may go together), then the second DELETE.
            Exchange? read = null;
            ListResult? list = null;
            await SendAsync(
                async () => read = await run.Api.GetAsync(primary.Auth, id, ct).ConfigureAwait(false),
                async () => list = await run.Api.ListAllAsync(primary.Auth, ct).ConfigureAwait(false)).ConfigureAwait(false);
            var again = await run.Api.DeleteAsync(primary, id, ct: ct).ConfigureAwait(false);
            run.Evaluator.Lifecycle(new LifecycleSeen(id, primary, delete!, read!, list!, again));
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Refused creates (each alone a 422 whose username is valid) overlapping a valid create: afterwards the
    /// project's list holds none of the refused usernames (CREATE-VAL-016).
    /// </summary>
    private async Task RefusedBesideValidAsync(SuiteRun run, CancellationToken ct)
    {
        var refused = RefusedCases(run).Take(Tries * Refused).ToList();
        if (refused.Count < Refused) return;
        var broke = Watch(run, Validation.RejectedCreatesNothing);
        await TriesAsync(run, broke, async t =>
        {
            var these = refused.Skip(t * Refused).Take(Refused).ToList();
            if (these.Count < Refused) return;
            var valid = run.ValidCase(Name, 500 + t).Named("a valid create sent while refused creates are validated").Build(Success.Status);
            var lag = ValidLag[t % ValidLag.Length];
            var answers = new Exchange[these.Count];
            Exchange? created = null;
            var sends = these.Select((c, i) => (Func<Task>)(async () => answers[i] = await run.Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, ct).ConfigureAwait(false))).ToList();
            sends.Add(async () =>
            {
                await Task.Delay(lag, ct).ConfigureAwait(false);
                created = await run.Api.CreateAsync(valid.Project, valid.Auth, valid.Body, valid.ContentType, ct).ConfigureAwait(false);
            });
            await SendAsync(sends).ConfigureAwait(false);

            var results = these.Select((c, i) => new CaseResult(c, answers[i], null, SipApi.CreatedId(answers[i]), run.Evaluator.Create(c, answers[i], null))).ToList();
            run.Evaluator.Create(valid, created!, null);
            await Task.WhenAll(results.Select(r => CleanupAsync(run, r.Case, r.Create, ct)).Append(CleanupAsync(run, valid, created!, ct))).ConfigureAwait(false);
            // After the cleanup, not beside it: a list read while endpoints are deleted is a race of its own (the delete-during-list group's).
            if (results.Any(r => r.Rejected))
                await run.CheckRejectedCreatedNothingAsync(Validation.RejectedCreatesNothing, results, run.Target.Primary, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A group's <see cref="Tries"/> (each given its number): one after another until the group's rule broke; against a
    /// target that rate-limits (and with requests at once), all together, since each try of a group waits for its slowest
    /// request and the tries are independent (each has endpoints of its own).
    /// </summary>
    private Task TriesAsync(SuiteRun run, Func<bool> broke, Func<int, Task> tryAsync, CancellationToken ct) =>
        InTurnOrTogetherAsync(atOnce && run.RateLimited, Enumerable.Range(0, Tries).Select(t => (Func<Task>)(() => tryAsync(t))),
            () => broke() || ct.IsCancellationRequested);

    /// <summary>Creates each alone refused (422, never 200) whose username is a valid one: a value outside a field's enum, that field not the username.</summary>
    private IEnumerable<CreateCase> RefusedCases(SuiteRun run) =>
        from m in Mutations.All(run.Contract, (handler, i) => run.Payloads.Valid(Name + "-refused", i, run.Payloads.Choice(Name + "-refused", i, handler)),
            run.ResourceAvailable, run.Identity.Uuid("unknown-resource", 0).ToString(), run.Target.Second?.ResourceId)
        where m.Kind == ViolationKind.UnknownEnum && m.Field != FieldNames.Username && m.Field != FieldNames.CallHandler
        let c = CaseBuilder.Of(run.Contract, run.Target.Primary, m).From($"{Name}: refused beside a valid create, seed {run.Settings.Seed}").Build()
        where c.Username is not null && !c.Allowed.Contains(Statuses.Ok) && c.Allowed.Contains(Statuses.Unprocessable)
        select c;

    /// <summary>Sends the creates at once, judges each alone, then deletes what they created.</summary>
    private async Task CreateTogetherAsync(SuiteRun run, IReadOnlyList<CreateCase> cases, CancellationToken ct)
    {
        var answers = new Exchange[cases.Count];
        await SendAsync(cases.Select((c, i) => (Func<Task>)(async () =>
            answers[i] = await run.Api.CreateAsync(c.Project, c.Auth, c.Body, c.ContentType, ct).ConfigureAwait(false)))).ConfigureAwait(false);
        for (var i = 0; i < cases.Count; i++) run.Evaluator.Create(cases[i], answers[i], null);
        await Task.WhenAll(cases.Select((c, i) => CleanupAsync(run, c, answers[i], ct))).ConfigureAwait(false);
    }

    /// <summary>Deletes what a create made (as <see cref="SuiteRun.ExecuteAsync"/> does), unless cleanup is off.</summary>
    private static async Task CleanupAsync(SuiteRun run, CreateCase c, Exchange create, CancellationToken ct)
    {
        if (SipApi.CreatedId(create) is { } id && run.Settings.Cleanup)
            run.Evaluator.Delete(await run.Api.DeleteAsync(c.Project, id, ct: ct).ConfigureAwait(false), c.Describe() + " (cleanup)");
    }

    /// <summary>A group's sends: together (<see cref="TogetherAsync(IEnumerable{Func{Task}})"/>), or one after another.</summary>
    private Task SendAsync(params Func<Task>[] sends) => SendAsync((IEnumerable<Func<Task>>)sends);

    private async Task SendAsync(IEnumerable<Func<Task>> sends)
    {
        if (atOnce)
        {
            await TogetherAsync(sends).ConfigureAwait(false);
            return;
        }
        foreach (var send in sends) await send().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts every send, holds each at one gate until all are started, releases them together and waits for all:
    /// requests of one group leave at the same moment (as far as the run's concurrency lets them).
    /// </summary>
    public static Task TogetherAsync(params Func<Task>[] sends) => TogetherAsync((IEnumerable<Func<Task>>)sends);

    /// <inheritdoc cref="TogetherAsync(Func{Task}[])"/>
    public static async Task TogetherAsync(IEnumerable<Func<Task>> sends)
    {
        ArgumentNullException.ThrowIfNull(sends);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = sends.Select(send => Task.Run(async () =>
        {
            await gate.Task.ConfigureAwait(false);
            await send().ConfigureAwait(false);
        })).ToList();
        gate.SetResult();
        await Task.WhenAll(started).ConfigureAwait(false);
    }

    /// <summary>True once any of the rules has broken since the call (a group stops trying then).</summary>
    private static Func<bool> Watch(SuiteRun run, params Rule[] rules)
    {
        var before = rules.Select(r => run.Findings[r].ViolationCount).ToArray();
        return () => rules.Select((r, i) => run.Findings[r].ViolationCount > before[i]).Any(b => b);
    }
}
