using System.Buffers;
using System.Text;
using SipConformance.Configuration;

namespace SipConformance.Target;

/// <summary>
/// One way of presenting (or not presenting) credentials. <see cref="Value"/> is sent; only
/// <see cref="Label"/> and <see cref="Redacted"/> are ever shown, and <see cref="Curl"/> rebuilds
/// the header from environment variables in a reproduction line instead of printing it.
/// </summary>
public sealed record AuthHeader(string Label, Secret? Value, string? Redacted, string? Curl)
{
    public static readonly AuthHeader None = new("no Authorization header", null, null, null);

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Basic auth with real credentials.</summary>
    public static AuthHeader Basic(string label, string projectId, Secret token, string projectVar = SettingsLoader.ProjectId, string tokenVar = SettingsLoader.ApiToken, string scheme = "Basic") =>
        new(label, new Secret($"{scheme} {Base64($"{projectId}:{token.Reveal()}")}"), $"{scheme} {Secret.Mask}",
            $"-H \"Authorization: {scheme} $(printf '%s:%s' \"${projectVar}\" \"${tokenVar}\" | base64 -w0)\"");

    /// <summary>A header with no real secret in it (shown as sent, but for the project id).</summary>
    public static AuthHeader Literal(string label, string value) =>
        new(label, new Secret(value), value, $"-H 'Authorization: {value}'");
}

/// <summary>
/// Replaces every known secret with [REDACTED] in text bound for a log, a report, an exception
/// message or a Pact file: the token as is, URL-encoded, JSON- and XML-escaped, inside
/// base64 (alone, or as id:token for every known project id), and inside any base64 run that
/// decodes to text holding it (a Basic credential built with an id the redactor was not told
/// about, such as one a server reflects back).
/// </summary>
public sealed partial class Redactor
{
    private readonly string[] _needles;
    private readonly SearchValues<string>? _needleSearch;
    private readonly string[] _secrets;
    /// <summary>The shortest base64 run that can hold the shortest secret (4 characters carry at most 3 bytes).</summary>
    private readonly int _shortestRun;

    public Redactor(IEnumerable<Secret> secrets, IEnumerable<string?>? projectIds = null)
    {
        var needles = new List<string>();
        var tokens = new List<string>();
        var ids = (projectIds ?? []).OfType<string>().Distinct().ToList();
        foreach (var s in secrets)
        {
            var token = s.Reveal();
            if (token.Length < 4) continue; // too short to redact safely; such a token still never reaches a header record
            tokens.Add(token);
            needles.Add(token);
            needles.Add(Uri.EscapeDataString(token));
            needles.Add(System.Text.Json.JsonSerializer.Serialize(token).Trim('"'));
            needles.Add(System.Security.SecurityElement.Escape(token));
            foreach (var id in ids)
            {
                needles.Add(AuthHeader.Base64($"{id}:{token}"));
                needles.Add(AuthHeader.Base64($"{id}:{token}").TrimEnd('='));
            }
            needles.Add(AuthHeader.Base64(token).TrimEnd('='));
        }
        _needles = needles.Where(n => n.Length >= 4).Distinct().OrderByDescending(n => n.Length).ToArray();
        _needleSearch = _needles.Length == 0 ? null : SearchValues.Create(_needles, StringComparison.OrdinalIgnoreCase);
        _secrets = tokens.Distinct().ToArray();
        _shortestRun = _secrets.Length == 0 ? int.MaxValue : Math.Max(8, _secrets.Min(t => t.Length) * 4 / 3 - 1);
    }

    public static readonly Redactor Nothing = new([]);

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Most text holds no secret: then nothing would be replaced, and the text is answered as it is.
        if (!Leaks(text.AsSpan())) return text;
        // Case-insensitively: a host name or a header may change a secret's case, and hiding a little too much is harmless.
        foreach (var n in _needles)
            if (text.Contains(n, StringComparison.OrdinalIgnoreCase))
                text = text.Replace(n, Secret.Mask, StringComparison.OrdinalIgnoreCase);
        if (_secrets.Length > 0)
            text = Base64Run().Replace(text, m => HidesSecret(m.Value) ? Secret.Mask : m.Value);
        return text;
    }

    public bool Leaks(string? text) => !string.IsNullOrEmpty(text) && Leaks(text.AsSpan());

    /// <summary>
    /// Whether <see cref="Redact"/> would change the text: a secret in any of its forms (all looked for in one
    /// pass), or a run of <see cref="Base64Run"/> that hides one. The runs are found as the pattern finds them
    /// (the longest run of the alphabet, at least 8 long, and up to two "=" after it), by a vectorised scan;
    /// only a run long enough to hold a secret becomes a string.
    /// </summary>
    public bool Leaks(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        if (_needleSearch is not null && text.ContainsAny(_needleSearch)) return true;
        if (_secrets.Length == 0) return false;
        var rest = text;
        while (rest.IndexOfAny(Base64Alphabet) is var start and >= 0)
        {
            rest = rest[start..];
            var run = rest.IndexOfAnyExcept(Base64Alphabet);
            if (run < 0) run = rest.Length;
            var end = run;
            while (end < rest.Length && end < run + 2 && rest[end] == '=') end++;
            if (run >= 8 && end >= _shortestRun && HidesSecret(rest[..end].ToString())) return true;
            rest = rest[end..];
        }
        return false;
    }

    /// <summary>The definition <see cref="Leaks(ReadOnlySpan{char})"/> is written out from, needle by needle and match by match (the tests hold the two equal).</summary>
    public bool LeaksByPattern(string? text) =>
        !string.IsNullOrEmpty(text)
        && (_needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase))
            || (_secrets.Length > 0 && Base64Run().Matches(text).Any(m => HidesSecret(m.Value))));

    /// <summary>The alphabet of <see cref="Base64Run"/>.</summary>
    private static readonly SearchValues<char> Base64Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-");

    /// <summary>Runs of base64 (standard or URL-safe alphabet) long enough to hold a credential.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("[A-Za-z0-9+/_-]{8,}={0,2}")]
    private static partial System.Text.RegularExpressions.Regex Base64Run();

    private bool HidesSecret(string run)
    {
        // Too short to encode a secret (ids, names and dates end here), or too long: a credential is short; a long run is padding or data.
        if (run.Length < _shortestRun || run.Length > 16 * 1024) return false;
        var core = run.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        // The run may start mid-credential in a longer text; try each of the 4 alignments.
        for (var skip = 0; skip < 4 && core.Length - skip >= 6; skip++)
        {
            var part = core[skip..];
            if (part.Length % 4 == 1) part = part[..^1];
            var padded = part.Length % 4 == 0 ? part : part + new string('=', 4 - part.Length % 4);
            var bytes = new byte[padded.Length / 4 * 3];
            if (!Convert.TryFromBase64String(padded, bytes, out var written)) continue;
            var decoded = System.Text.Encoding.UTF8.GetString(bytes, 0, written);
            foreach (var secret in _secrets)
                if (decoded.Contains(secret, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
