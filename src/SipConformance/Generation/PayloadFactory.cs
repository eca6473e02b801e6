using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;
using SipConformance.Contract;

namespace SipConformance.Generation;

/// <summary>The enum-valued part of a valid payload: what a combination row fixes.</summary>
public sealed record EnumChoice(string Encryption, string CallHandler, IReadOnlyList<string> Ciphers, IReadOnlyList<string> Codecs);

/// <summary>
/// Builds valid create payloads with Bogus: realistic usernames (with the run's marker), E.164
/// caller ids and send_as names. Every payload is a pure function of the run identity, the
/// stream name and an index, so a seed reproduces it. The text of a valid payload stays inside the
/// baseline every server must take (docs/RULES.md, "the baseline"): username and send_as of 1 to
/// 32 characters from a-z, 0-9 and _; caller_id an E.164 number, or the configured caller id
/// (SIPCONF_CALLER_ID) for a project that takes only its own numbers. Only the stimuli whose purpose
/// is the text itself send anything else.
/// </summary>
public sealed class PayloadFactory(SipContract contract, RunIdentity run, string? resourceId, string? callerId = null)
{
    /// <summary>The longest username or send_as of the baseline.</summary>
    public const int BaselineLength = 32;

    /// <summary>The configured caller id every valid payload uses (null: a generated E.164 number).</summary>
    public string? ConfiguredCallerId => callerId;

    /// <summary>Whether a text is inside the baseline of username and send_as (1 to 32 of a-z, 0-9, _).</summary>
    public static bool IsBaselineName(string text) =>
        text.Length is > 0 and <= BaselineLength && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    /// <summary>Bogus locales the string generators draw from (Latin, Greek, Cyrillic, Arabic, Hebrew-less Persian, CJK, Korean...).</summary>
    public static readonly IReadOnlyList<string> Locales = ["en", "de", "fr", "el", "ru", "uk", "ar", "fa", "ja", "ko", "zh_CN", "vi", "tr", "pl"];

    public SipContract Contract => contract;
    public RunIdentity Run => run;
    public string? ResourceId => resourceId;

    // Building a Faker costs milliseconds (it loads its locale); re-seeding one costs nothing.
    // Each thread keeps one per locale; a Faker is used only between two calls on one thread.
    [ThreadStatic] private static Dictionary<string, Faker>? _fakers;

    /// <summary>A Faker of the locale, seeded for (stream, index): the same arguments give the same values.</summary>
    public Faker Faker(string stream, long index, string locale = "en")
    {
        _fakers ??= new Dictionary<string, Faker>(StringComparer.Ordinal);
        if (!_fakers.TryGetValue(locale, out var faker)) _fakers[locale] = faker = new Faker(locale);
        faker.Random = new Randomizer(run.StreamSeed(stream, index));
        return faker;
    }

    /// <summary>
    /// A valid payload: Bogus strings seeded by (stream, index) and the given enum values (a
    /// combination row), or values drawn by <see cref="Choice"/>. The one builder of valid payloads.
    /// </summary>
    public JsonObject Valid(string stream, long index, EnumChoice? choice = null)
    {
        choice ??= Choice(stream, index);
        var f = Faker(stream, index);
        // Lists in an order of their own (seeded per payload): order is free, and a server that needs the enum's order is wrong.
        choice = choice with { Ciphers = f.Random.Shuffle(choice.Ciphers).ToList(), Codecs = f.Random.Shuffle(choice.Codecs).ToList() };
        return Build(
            run.Uuid(stream, index).ToString(),
            Username(f),
            callerId ?? CallerId(f),
            SendAs(f),
            choice);
    }

    /// <summary>The call handlers a valid payload may use: resource only when a resource id is known.</summary>
    public IReadOnlyList<string> CallHandlers => resourceId is null ? contract.CallHandlers.Where(h => h != CallHandlerValues.Resource).ToList() : contract.CallHandlers;

    /// <summary>Random enum values for (stream, index): non-empty cipher and codec subsets, the call handler given or drawn.</summary>
    public EnumChoice Choice(string stream, long index, string? callHandler = null)
    {
        var f = Faker(stream + "/choice", index);
        List<string> Subset(IReadOnlyList<string> all)
        {
            var picked = all.Where(_ => f.Random.Bool()).ToList();
            return picked.Count > 0 ? picked : [f.PickRandom(all.ToList())];
        }
        return new EnumChoice(f.PickRandom(contract.Encryptions.ToList()), callHandler ?? f.PickRandom(CallHandlers.ToList()), Subset(contract.Ciphers), Subset(contract.Codecs));
    }

    /// <summary>A payload from explicit parts; the call_handler decides calling_handler_resource_id.</summary>
    public JsonObject Build(string id, string username, string callerId, string sendAs, EnumChoice choice) => new()
    {
        [FieldNames.Id] = id,
        [FieldNames.Username] = username,
        [FieldNames.CallerId] = callerId,
        [FieldNames.SendAs] = sendAs,
        [FieldNames.Ciphers] = new JsonArray(choice.Ciphers.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        [FieldNames.Codecs] = new JsonArray(choice.Codecs.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
        [FieldNames.Encryption] = choice.Encryption,
        [FieldNames.CallHandler] = choice.CallHandler,
        [FieldNames.CallingHandlerResourceId] = choice.CallHandler == CallHandlerValues.Resource ? resourceId : null,
    };

    /// <summary>A send_as inside the baseline: a Bogus first and last name, lower-cased, reduced to [a-z0-9] and joined by '_'.</summary>
    public static string SendAs(Faker f)
    {
        var first = Reduce(f.Name.FirstName(), 15);
        var last = Reduce(f.Name.LastName(), 16);
        return first.Length == 0 ? (last.Length == 0 ? "sipconf" : last) : last.Length == 0 ? first : first + "_" + last;
    }

    private static string Reduce(string text, int max)
    {
        Span<char> kept = stackalloc char[max];
        var n = 0;
        foreach (var ch in text)
        {
            var lower = char.ToLowerInvariant(ch);
            if (char.IsAsciiLetterOrDigit(lower) && n < max) kept[n++] = lower;
        }
        return new string(kept[..n]);
    }

    /// <summary>A username: the run's prefix and a Bogus user name reduced to [a-z0-9], 32 characters at most (the baseline).</summary>
    public string Username(Faker f)
    {
        // Lower-cased and reduced to [a-z0-9], up to what the baseline leaves after the prefix and two digits, without
        // intermediate strings. Per character as the string's ToLowerInvariant: a pair of surrogates never lowers to
        // ASCII, so only BMP characters can be kept.
        var name = f.Internet.UserName();
        Span<char> core = stackalloc char[Math.Clamp(BaselineLength - 2 - run.UsernamePrefix.Length, 1, 16)];
        var n = 0;
        foreach (var ch in name)
        {
            var lower = char.ToLowerInvariant(ch);
            if (char.IsAsciiLetterOrDigit(lower) && n < core.Length) core[n++] = lower;
        }
        var number = f.Random.Number(10, 99);
        return n == 0 ? $"{run.UsernamePrefix}user{number}" : $"{run.UsernamePrefix}{core[..n]}{number}";
    }

    /// <summary>An E.164 caller id in the North American plan (+1 NXX NXX XXXX).</summary>
    public static string CallerId(Faker f) =>
        $"+1{f.Random.Number(2, 9)}{f.Random.Replace("##")}{f.Random.Number(2, 9)}{f.Random.Replace("######")}";

    /// <summary>Names from a Bogus locale, for string fidelity (never empty).</summary>
    public string LocaleText(string locale, long index)
    {
        var f = Faker("locale-text/" + locale, index, locale);
        var text = f.Name.FullName();
        return string.IsNullOrWhiteSpace(text) ? f.Lorem.Word() : text;
    }

    /// <summary>The string-fidelity samples kept in fixtures/payloads/unicode-samples.json.</summary>
    public static IReadOnlyList<(string Name, string Text)> UnicodeSamples { get; } = LoadSamples();

    private static List<(string, string)> LoadSamples()
    {
        using var stream = typeof(PayloadFactory).Assembly.GetManifestResourceStream("payloads/unicode-samples.json")
            ?? throw new InvalidOperationException("payloads/unicode-samples.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("samples").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("text").GetString()!)).ToList();
    }
}
