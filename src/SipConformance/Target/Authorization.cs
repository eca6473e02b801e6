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
/// Replaces every known secret, and every Basic credential built from one, with [REDACTED]
/// in text bound for a log, a report, an exception message or a Pact file.
/// </summary>
public sealed class Redactor
{
    private readonly string[] _needles;

    public Redactor(IEnumerable<Secret> secrets, IEnumerable<string?>? projectIds = null)
    {
        var needles = new List<string>();
        var ids = (projectIds ?? []).OfType<string>().ToList();
        foreach (var s in secrets)
        {
            var token = s.Reveal();
            if (token.Length < 4) continue; // too short to redact safely; such a token still never reaches a header record
            needles.Add(token);
            needles.Add(Uri.EscapeDataString(token));
            foreach (var id in ids)
            {
                needles.Add(AuthHeader.Base64($"{id}:{token}"));
                needles.Add(AuthHeader.Base64($"{id}:{token}").TrimEnd('='));
            }
            needles.Add(AuthHeader.Base64(token).TrimEnd('='));
        }
        _needles = needles.Where(n => n.Length >= 4).Distinct().OrderByDescending(n => n.Length).ToArray();
    }

    public static readonly Redactor Nothing = new([]);

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var n in _needles)
            if (text.Contains(n, StringComparison.Ordinal))
                text = text.Replace(n, Secret.Mask, StringComparison.Ordinal);
        return text;
    }

    public bool Leaks(string? text) => !string.IsNullOrEmpty(text) && _needles.Any(n => text.Contains(n, StringComparison.Ordinal));
}
