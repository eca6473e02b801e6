namespace SipConformance.Target;

/// <summary>
/// Caps the load a run puts on its target: requests in flight (a semaphore) and requests per
/// second (evenly spaced start times), and adapts the second to the target's rate limiter, shared
/// by every request of the run (AIMD-like):
/// <list type="bullet">
/// <item>a 429 lowers the pace to <see cref="Decrease"/> times what was sent in the last second (or the
/// current pace, whichever is lower), at most once per round: a 429 that answers a request sent
/// before the last decrease says nothing about the new pace and is not counted again;</item>
/// <item>every other answer raises the pace a little (<see cref="Growth"/> per answer, so it regains a
/// decrease within a few requests and finds a limit that was raised), never above the configured cap
/// nor far above what is actually sent (a pace nobody uses is no evidence).</item>
/// </list>
/// Until the first 429 nothing is paced but the configured cap. Waiting out a 429 is the
/// requester's business: it happens outside the pacer, so it never holds a slot, and the other
/// requests go on at the adapted pace (no stop-the-world wait).
/// </summary>
public sealed class Pacer(int concurrency, double? maxPerSecond, TimeProvider? time = null) : IDisposable
{
    /// <summary>What a 429 multiplies the pace by.</summary>
    public const double Decrease = 0.8;
    /// <summary>What each answer that is not a 429 multiplies the pace by.</summary>
    public const double Growth = 1.05;
    /// <summary>The slowest pace a rate limiter can push the run to (requests per second).</summary>
    public const double MinimumRate = 0.2;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Queue<long> _recentStarts = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private double? _adapted;
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
        while (_recentStarts.Count > 0 && _recentStarts.Peek() <= (now - Window).UtcTicks) _recentStarts.Dequeue();
    }

    private void Answered(DateTimeOffset sentAt, bool rateLimited)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (rateLimited)
            {
                // One decrease per round: this 429 answers a request paced before the last decrease.
                if (sentAt.UtcTicks < _lastDecreaseTicks) return;
                while (_recentStarts.Count > 0 && _recentStarts.Peek() <= (now - Window).UtcTicks) _recentStarts.Dequeue();
                double sent = Math.Max(1, _recentStarts.Count);
                var basis = Effective is { } current ? Math.Min(current, sent) : sent;
                _adapted = Math.Max(MinimumRate, basis * Decrease);
                _lastDecreaseTicks = now.UtcTicks;
                _decreases++;
                // The next request waits one spacing of the new pace (later ones follow it).
                var spaced = now + TimeSpan.FromSeconds(1 / _adapted.Value);
                if (_next < spaced) _next = spaced;
            }
            else if (_adapted is { } a)
            {
                // Grow, but not far above what is actually sent: a pace the run does not use proves nothing.
                double sent = Math.Max(1, _recentStarts.Count);
                var grown = Math.Min(a * Growth, Math.Max(a, 2 * sent));
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
