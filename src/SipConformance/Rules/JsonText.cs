using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>Reading answers and showing values in findings: the small helpers every section uses.</summary>
public static class JsonText
{
    /// <summary>The element at a property path, or null when a step is missing or not an object.</summary>
    public static JsonElement? Path(JsonElement e, params ReadOnlySpan<string> path)
    {
        foreach (var p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        return e;
    }

    /// <summary>An endpoint field of the answer, where the contract's revision puts it (sip_endpoint.{field}, or {field} when flat).</summary>
    public static JsonElement? Endpoint(SipContract contract, JsonElement body, string field) => contract.EndpointField(body, field);

    /// <summary>A string endpoint field of the answer, or null when absent or not a string.</summary>
    public static string? EndpointString(SipContract contract, JsonElement body, string field) =>
        Endpoint(contract, body, field) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>The exchange got a complete answer that is not a 429 (which is waited out, never judged).</summary>
    public static bool Answered(Exchange e) => e.Failure is null && e.Response is { Status: not Rules.Statuses.TooManyRequests };

    /// <summary>A JSON value as found, clipped ("absent" when there is none).</summary>
    public static string Raw(JsonElement? e)
    {
        if (e is null) return "absent";
        var text = e.Value.GetRawText();
        return text.Length <= 160 ? text : text[..150] + "...";
    }

    /// <summary>A string shown as JSON (escapes make invisible differences visible), clipped.</summary>
    public static string Show(string? s)
    {
        if (s is null) return "nothing (absent, null or not a string)";
        var json = JsonSerializer.Serialize(s);
        return json.Length <= 160 ? json : $"{json[..150]}...\" ({s.Length} UTF-16 units)";
    }

    /// <summary>Where two strings part, for truncation and re-encoding reports.</summary>
    public static string Difference(string sent, string? got)
    {
        if (got is null) return "";
        if (got.Length < sent.Length && sent.StartsWith(got, StringComparison.Ordinal))
            return $" (truncated: {sent.Length} -> {got.Length} UTF-16 units)";
        var i = 0;
        while (i < sent.Length && i < got.Length && sent[i] == got[i]) i++;
        return $" (first difference at UTF-16 unit {i}: sent {Unit(sent, i)}, got {Unit(got, i)})";
    }

    private static string Unit(string s, int i) => i < s.Length ? $"U+{(int)s[i]:X4}" : "nothing more (the text ends there)";

    /// <summary>The status as a person reads it (a redirect names where it points).</summary>
    public static string StatusText(ResponseRecord r) =>
        Rules.Statuses.IsRedirect(r.Status) && r.Header("Location") is { } loc ? $"{r.Status} (redirect to {loc}; the suite does not follow redirects)" : r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A list of status codes as "200 or 422".</summary>
    public static string Statuses(IEnumerable<int> statuses) => string.Join(" or ", statuses);
}
