using System.Security.Cryptography;
using System.Text;

namespace SipConformance.Generation;

/// <summary>
/// What makes a run's payloads: the seed (SIPCONF_SEED) decides every generated choice; the
/// marker (SIPCONF_RUN_MARKER, else fresh) prefixes every username and salts every generated
/// UUID, so two runs with one seed never collide on a shared target. Seed and marker together
/// reproduce a run's payloads exactly.
/// </summary>
public sealed record RunIdentity(long Seed, string Marker)
{
    /// <summary>The prefix every username the suite creates starts with, whatever the run.</summary>
    public const string SuitePrefix = "sipconf_";

    public static RunIdentity Create(long seed, string? marker = null) =>
        new(seed, marker ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());

    /// <summary>The username prefix of this run: sipconf_{marker}_.</summary>
    public string UsernamePrefix => $"{SuitePrefix}{Marker}_";

    /// <summary>A stable 32-bit seed for one generator stream (FNV-1a over seed, stream name and index).</summary>
    public int StreamSeed(string stream, long index = 0) => (int)(Mix(Seed, stream, index) & 0x7fffffff);

    /// <summary>A version-4-shaped UUID, stable for (seed, marker, stream, index).</summary>
    public Guid Uuid(string stream, long index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Mix(Seed, Marker + "/" + stream, index));
        BitConverter.TryWriteBytes(bytes[8..], Mix(~Seed, stream + "/" + Marker, index));
        bytes[7] = (byte)((bytes[7] & 0x0f) | 0x40); // version 4 (Guid's little-endian layout)
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80); // RFC 9562 variant
        return new Guid(bytes);
    }

    /// <summary>FNV-1a over the seed's 8 bytes, the stream's UTF-8 and the index's 8 bytes (on the stack, not in arrays).</summary>
    private static ulong Mix(long seed, string stream, long index)
    {
        var h = 14695981039346656037UL;
        void Add(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes) { h ^= b; h *= 1099511628211UL; }
        }
        Span<byte> number = stackalloc byte[8];
        BitConverter.TryWriteBytes(number, seed);
        Add(number);
        var length = Encoding.UTF8.GetByteCount(stream);
        var utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(stream, utf8);
        Add(utf8);
        BitConverter.TryWriteBytes(number, index);
        Add(number);
        // final avalanche (splitmix64)
        h ^= h >> 30; h *= 0xbf58476d1ce4e5b9UL; h ^= h >> 27; h *= 0x94d049bb133111ebUL; h ^= h >> 31;
        return h;
    }
}
