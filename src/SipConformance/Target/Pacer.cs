namespace SipConformance.Target;

/// <summary>
/// Caps the load a run puts on its target: requests in flight (a semaphore) and requests per
/// second (evenly spaced start times).
/// </summary>
public sealed class Pacer(int concurrency, double? maxPerSecond, TimeProvider? time = null) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly TimeSpan _spacing = maxPerSecond is { } r ? TimeSpan.FromSeconds(1 / r) : TimeSpan.Zero;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public int Concurrency => concurrency;
    public double? MaxPerSecond => maxPerSecond;

    /// <summary>Waits for a slot; dispose the result when the request is done.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_spacing > TimeSpan.Zero)
            {
                DateTimeOffset slot;
                lock (_gate)
                {
                    var now = _time.GetUtcNow();
                    slot = _next > now ? _next : now;
                    _next = slot + _spacing;
                }
                var wait = slot - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
            return new Release(_slots);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Release(SemaphoreSlim slots) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) slots.Release();
        }
    }
}
