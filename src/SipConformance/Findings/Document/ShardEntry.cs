namespace SipConformance.Findings;

/// <summary>Which part of a sharded run a findings document is: shard <see cref="Index"/> of <see cref="Count"/> (SIPCONF_SHARD).</summary>
public sealed record ShardEntry(int Index, int Count)
{
    public override string ToString() => $"{Index}/{Count}";
}
