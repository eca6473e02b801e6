using SipConformance.Contract;

namespace SipConformance.Bench;

/// <summary>
/// The contracts the benchmark sweeps: the suite's default (2026-03-18, 7 codecs: 49,152 rows), and the
/// 2026-08-21 revision the suite ships (11 codecs: 786,432 rows; its flat answer), for the large sweep.
/// </summary>
public static class BenchContracts
{
    public const string Default = "default";
    public const string Large = "large";

    public static IReadOnlyList<string> Names => [Default, Large];

    public static SipContract Get(string name) => name switch
    {
        Default => SipContract.Default,
        Large => SipContract.Of(ContractRevisions.August2026),
        _ => throw new BenchFailure($"no bench contract '{name}' (known: {string.Join(", ", Names)})", 2),
    };
}
