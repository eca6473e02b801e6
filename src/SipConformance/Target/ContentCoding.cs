using System.IO.Compression;

namespace SipConformance.Target;

/// <summary>
/// Content codings (RFC 9110 section 8.4): the client asks for the ones it can undo
/// (<see cref="Accepted"/>), and undoes whichever of them a server applies, asked or not (a request
/// without Accept-Encoding lets the server use any coding, RFC 9110 12.5.3). Codings are undone in
/// the reverse of the order they are listed in (8.4), names compared case-insensitively (8.4.1);
/// <c>x-gzip</c> is <c>gzip</c> (8.4.1.3); <c>deflate</c> is the zlib format (8.4.1.2), read as a
/// raw deflate stream too when a server sends it without the zlib wrapper, as many do.
/// </summary>
public static class ContentCoding
{
    /// <summary>What the client sends as Accept-Encoding.</summary>
    public const string Accepted = "gzip, deflate, br";

    /// <summary>
    /// The content with every listed coding undone, whether the decoded content passed <paramref name="cap"/>
    /// (it is then cut there), and why it could not be decoded (the bytes are then returned as received).
    /// </summary>
    public static (byte[] Body, bool TooLarge, string? Problem) Decode(byte[] body, string contentEncoding, int cap)
    {
        var codings = contentEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var current = body;
        for (var i = codings.Length - 1; i >= 0; i--)
        {
            var name = codings[i].ToLowerInvariant();
            if (name == "identity") continue;
            if (current.Length == 0) continue; // an empty body (a 204, a HEAD-like answer) has nothing to decode
            try
            {
                (current, var tooLarge) = name switch
                {
                    "gzip" or "x-gzip" => Inflate(current, s => new GZipStream(s, CompressionMode.Decompress), cap),
                    "br" => Inflate(current, s => new BrotliStream(s, CompressionMode.Decompress), cap),
                    "deflate" => Zlib(current, cap),
                    _ => throw new NotSupportedException(),
                };
                if (tooLarge) return (current, true, null);
            }
            catch (NotSupportedException)
            {
                return (body, false, $"the answer's Content-Encoding is {contentEncoding}: the suite cannot decode \"{codings[i]}\" (it asked for Accept-Encoding: {Accepted}, RFC 9110 12.5.3)");
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return (body, false, $"the answer's Content-Encoding is {contentEncoding}, but its body is not valid {codings[i]} data ({e.Message})");
            }
        }
        return (current, false, null);
    }

    private static (byte[], bool) Zlib(byte[] data, int cap)
    {
        // A zlib stream starts with a header whose first two bytes, read big-endian, are a multiple of 31 (RFC 1950 2.2).
        var wrapped = data.Length >= 2 && (data[0] & 0x0F) == 8 && ((data[0] << 8) | data[1]) % 31 == 0;
        return wrapped
            ? Inflate(data, s => new ZLibStream(s, CompressionMode.Decompress), cap)
            : Inflate(data, s => new DeflateStream(s, CompressionMode.Decompress), cap);
    }

    private static (byte[], bool) Inflate(byte[] data, Func<Stream, Stream> decoder, int cap)
    {
        using var input = new MemoryStream(data, writable: false);
        using var stream = decoder(input);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = stream.Read(buffer, 0, buffer.Length);
            if (n == 0) return (output.ToArray(), false);
            var room = cap - (int)output.Length;
            output.Write(buffer, 0, Math.Min(n, room));
            if (n > room) return (output.ToArray(), true);
        }
    }
}
