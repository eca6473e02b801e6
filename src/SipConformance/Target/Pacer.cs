namespace SipConformance.Target;

/// <summary>
/// Caps the load a run puts on its target: requests in flight (a semaphore) and requests per
/// second (evenly spaced start times), and adapts the second to the target's rate limiter. One
/// pacer serves every request of a run (all projects of one target), so what one request learns
/// paces all of them:
/// <list type="bullet">
/// <item>A rate limiter is recognised by a run of 429s: <see cref="EnterRun"/> of the latest
/// <see cref="EnterRunOf"/> answers (an exhausted bucket answers every request until it refills). A
/// single 429, or 429s that come at a steady small share whatever the pace (one in seven, say, even at
/// random: such a run then has odds of about 1 in 20,000 at each answer), do not slow the run:
/// slowing down would not make them go away.</item>
/// <item>Then the pace starts at <see cref="Decrease"/> times what the target accepted in the last
/// second (the rate it lets through), and from there is AIMD: a further 429 multiplies it by
/// <see cref="Decrease"/>, at most once per round (a 429 answering a request sent before the last
/// decrease says nothing about the new pace), and only once the pace has grown back to where the
/// last decrease took it from, unless 429s are as frequent as above (so 429s that come at a steady
/// share whatever the pace make it swing, not sink); every other answer raises it by
/// <see cref="IncreasePerSecond"/> of itself (at least <see cref="MinimumIncrease"/> requests per
/// second) per second of answers, so it finds a limit that was raised, never above the configured
/// cap nor far above what is actually sent.</item>
/// </list>
/// Waiting out a 429 is the requester's business: it happens outside the pacer, so it never holds a
/// slot, and the other requests go on at the pace (no stop-the-world wait).
/// </summary>
public sealed class Pacer(int concurrency, double? maxPerSecond, TimeProvider? time = null) : IDisposable
{
    /// <summary>What a 429 multiplies the pace by (and the share of the accepted rate a limiter's pace starts at).</summary>
    public const double Decrease = 0.8;
    /// <summary>How much the pace grows per second of answers without a 429, as a share of itself.</summary>
    public const double IncreasePerSecond = 0.05;
    /// <summary>The least the pace grows per second of answers without a 429 (requests per second).</summary>
    public const double MinimumIncrease = 0.2;
    /// <summary>The slowest pace a rate limiter can push the run to (requests per second).</summary>
    public const double MinimumRate = 0.2;
    /// <summary>A rate limiter is recognised when <see cref="EnterRun"/> of the latest <see cref="EnterRunOf"/> answers are 429s.</summary>
    public const int EnterRun = 6;
    /// <summary>See <see cref="EnterRun"/>.</summary>
    public const int EnterRunOf = 7;
    /// <summary>How many of the latest answers are looked at to tell frequent 429s from occasional ones, once paced.</summary>
    public const int OutcomeWindow = 20;
    /// <summary>Once paced: at least this many 429s among the latest <see cref="OutcomeWindow"/> answers, ...</summary>
    public const int EnterLimited = 3;
    /// <summary>... and at least 1 in this many of them, are frequent: each lowers the pace (once per round).</summary>
    public const int EnterFraction = 4;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Queue<long> _recentStarts = new();
    private readonly Queue<long> _recentAccepts = new();
    private readonly bool[] _outcomes = new bool[OutcomeWindow];
    private int _outcomeCount;
    private int _outcomeNext;
    private int _limitedInWindow;
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private double? _adapted;
    private double _landed;
    private long _lastDecreaseTicks = long.MinValue;
    private int _decreases;

    public int Concurrency => concurrency;
    public double? MaxPerSecond => maxPerSecond;

    /// <summary>The pace in force (requests per second): the adapted one once a 429 was seen, else the configured cap (null: none).</summary>
    public double? Rate
    {
        get { lock (_gate) return Effective; }
    }

    /// <summary>How many times a 429 lowered the pace.</summary>
    public int Decreases
    {
        get { lock (_gate) return _decreases; }
    }

    private double? Effective => _adapted is { } a ? maxPerSecond is { } cap ? Math.Min(a, cap) : a : maxPerSecond;

    /// <summary>Waits for a slot and the pace; dispose the ticket when the request is done, after telling it how it was answered.</summary>
    public async Task<Ticket> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    var now = _time.GetUtcNow();
                    var rate = Effective;
                    if (rate is null || _next <= now)
                    {
                        if (rate is { } r) _next = now + TimeSpan.FromSeconds(1 / r);
                        Started(now);
                        return new Ticket(this, now);
                    }
                    wait = _next - now;
                }
                // Waits for the slot, then looks again: a 429 seen meanwhile may have pushed it later, or another request taken it.
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private void Started(DateTimeOffset now)
    {
        _recentStarts.Enqueue(now.UtcTicks);
        Trim(_recentStarts, now);
    }

    private static void Trim(Queue<long> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() <= (now - Window).UtcTicks) times.Dequeue();
    }

    private int LimitedAmongLatest(int n)
    {
        var found = 0;
        for (var i = 1; i <= Math.Min(n, _outcomeCount); i++)
            if (_outcomes[(_outcomeNext - i + OutcomeWindow) % OutcomeWindow]) found++;
        return found;
    }

    private void Remember(bool limited)
    {
        if (_outcomeCount == OutcomeWindow && _outcomes[_outcomeNext]) _limitedInWindow--;
        _outcomes[_outcomeNext] = limited;
        if (limited) _limitedInWindow++;
        _outcomeNext = (_outcomeNext + 1) % OutcomeWindow;
        if (_outcomeCount < OutcomeWindow) _outcomeCount++;
    }

    private void Answered(DateTimeOffset sentAt, bool rateLimited)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Remember(rateLimited);
            Trim(_recentStarts, now);
            Trim(_recentAccepts, now);
            if (rateLimited)
            {
                double next;
                if (_adapted is not { } current)
                {
                    // Not yet paced: only a limiter that shows itself is paced for: nearly every one of the latest answers a 429
                    // (what an exhausted bucket answers to a client that sends faster than it refills).
                    if (LimitedAmongLatest(EnterRunOf) < EnterRun) return;
                    next = Math.Max(1, _recentAccepts.Count) * Decrease;
                }
                else
                {
                    // One decrease per round: this 429 answers a request paced before the last decrease. And only once the
                    // pace has grown back to where the last decrease took it from (429s that come whatever the pace would
                    // otherwise ratchet it down), unless 429s are as frequent as a limiter's are.
                    if (sentAt.UtcTicks < _lastDecreaseTicks) return;
                    var frequent = _limitedInWindow >= EnterLimited && _limitedInWindow * EnterFraction >= _outcomeCount;
                    if (current < _landed / Decrease * 0.999 && !frequent) return;
                    next = Math.Min(maxPerSecond is { } cap ? Math.Min(current, cap) : current, Math.Max(1, _recentStarts.Count)) * Decrease;
                }
                _adapted = Math.Max(MinimumRate, next);
                _landed = _adapted.Value;
                _lastDecreaseTicks = now.UtcTicks;
                _decreases++;
                // The next request waits one spacing of the new pace (later ones follow it).
                var spaced = now + TimeSpan.FromSeconds(1 / _adapted.Value);
                if (_next < spaced) _next = spaced;
            }
            else
            {
                _recentAccepts.Enqueue(now.UtcTicks);
                if (_adapted is not { } a) return;
                // One answer at pace a is 1/a seconds of answers; the pace grows a share of itself per second of them,
                // but not far above what is actually sent (a pace the run does not use proves nothing).
                var grown = a + Math.Max(a * IncreasePerSecond, MinimumIncrease) / a;
                grown = Math.Min(grown, Math.Max(a, 2.0 * _recentStarts.Count));
                _adapted = maxPerSecond is { } cap ? Math.Min(grown, cap) : grown;
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One request's slot: <see cref="Answer"/> feeds the pace; disposing frees the slot.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly Pacer _pacer;
        private int _done;
        private int _answered;

        internal Ticket(Pacer pacer, DateTimeOffset sentAt)
        {
            _pacer = pacer;
            SentAt = sentAt;
        }

        public DateTimeOffset SentAt { get; }

        /// <summary>The target answered with this status (once per ticket; 429 lowers the pace, anything else raises it).</summary>
        public void Answer(int status)
        {
            if (Interlocked.Exchange(ref _answered, 1) == 0) _pacer.Answered(SentAt, status == 429);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) _pacer._slots.Release();
        }
    }
}
