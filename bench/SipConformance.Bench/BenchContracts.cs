using SipConformance.Contract;

namespace SipConformance.Bench;

/// <summary>
/// The contracts the benchmark sweeps: the suite's default (2026-03-18, 7 codecs: 49,152 rows), and a
/// variant of it with the 2026-08-21 revision's codec list (11 codecs: 786,432 rows), for the large sweep.
/// The variant is the default contract file with only the Codecs enum replaced; everything else
/// (schemas, paths, the other enums) is the suite's.
/// </summary>
public static class BenchContracts
{
    public const string Default = "default";
    public const string Large = "large";

    /// <summary>
    /// The Codecs enum of the public API description at revision 2026-08-21
    /// (signalwire-fabric-sip-endpoints.2026-08-21.openapi.yaml, components.schemas.Codecs), in its order.
    /// </summary>
    public static readonly IReadOnlyList<string> Codecs20260821 =
        ["PCMU", "PCMA", "G722", "G729", "OPUS", "OPUS@48000H@20I", "OPUS@24000H@20I", "OPUS@16000H@20I", "OPUS@8000H@20I", "VP8", "H264"];

    private static readonly Lazy<SipContract> LargeContract = new(BuildLarge);

    public static IReadOnlyList<string> Names => [Default, Large];

    public static SipContract Get(string name) => name switch
    {
        Default => SipContract.Default,
        Large => LargeContract.Value,
        _ => throw new BenchFailure($"no bench contract '{name}' (known: {string.Join(", ", Names)})", 2),
    };

    private static SipContract BuildLarge()
    {
        var resource = $"contract/sip-endpoints.{SipContract.DefaultRevision}.openapi.yaml";
        using var stream = typeof(SipContract).Assembly.GetManifestResourceStream(resource)
            ?? throw new BenchFailure($"the contract assembly has no resource {resource}", 3);
        using var reader = new StreamReader(stream);
        var yaml = reader.ReadToEnd().ReplaceLineEndings("\n");
        var current = SipContract.Default.Codecs;
        var block = "    Codecs:\n      type: string\n      enum:\n" + string.Concat(current.Select(c => $"        - {c}\n"));
        if (!yaml.Contains(block, StringComparison.Ordinal))
            throw new BenchFailure("the default contract's Codecs enum is not written as the bench expects; update BenchContracts", 3);
        var replaced = "    Codecs:\n      type: string\n      enum:\n" + string.Concat(Codecs20260821.Select(c => $"        - '{c}'\n"));
        var contract = SipContract.Load(yaml.Replace(block, replaced, StringComparison.Ordinal), SipContract.DefaultRevision + "+codecs-2026-08-21");
        if (!contract.Codecs.SequenceEqual(Codecs20260821))
            throw new BenchFailure($"the large contract reads codecs [{string.Join(",", contract.Codecs)}]", 3);
        return contract;
    }
}
