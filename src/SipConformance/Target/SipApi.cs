using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SipConformance.Configuration;
using SipConformance.Contract;

namespace SipConformance.Target;

/// <summary>A project the run may act as.</summary>
public sealed record TargetProject(string Label, string ProjectId, Secret Token, string? ResourceId, string ProjectVar, string TokenVar)
{
    public AuthHeader Auth => AuthHeader.Basic($"{Label} project", ProjectId, Token, ProjectVar, TokenVar);
}

/// <summary>The project's endpoints as the paginated list showed them.</summary>
public sealed record ListResult(IReadOnlyList<Exchange> Pages, IReadOnlyList<JsonElement> Items, string? Problem)
{
    public bool Complete => Problem is null;
}

/// <summary>
/// The operations of the contract over the <see cref="TargetClient"/>: paths come from the
/// contract file; every endpoint a create answers with is written to the cleanup journal.
/// </summary>
public sealed class SipApi(TargetClient client, Uri baseUrl, SipContract contract, CleanupJournal? journal)
{
    public const string JsonContentType = "application/json";

    public static readonly JsonSerializerOptions PayloadJson = new()
    {
        // Non-ASCII text goes out as raw UTF-8, so string fidelity tests the server's decoding.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public TargetClient Client => client;
    public SipContract Contract => contract;
    public Uri BaseUrl => baseUrl;
    public CleanupJournal? Journal => journal;

    /// <summary>report: how many creates got each status (0: no complete answer), for the HTML report's diagnoses.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<int, int> CreateStatuses { get; } = new();

    /// <summary>Takes a create back out of <see cref="CreateStatuses"/> (one another shard counts: the learning phase's, outside shard 1).</summary>
    public void Untally(Exchange create)
    {
        ArgumentNullException.ThrowIfNull(create);
        CreateStatuses.AddOrUpdate(create.Response?.Status ?? 0, 0, (_, n) => Math.Max(0, n - 1));
        if (CreateStatuses.TryGetValue(create.Response?.Status ?? 0, out var left) && left == 0)
            CreateStatuses.TryRemove(KeyValuePair.Create(create.Response?.Status ?? 0, 0));
    }

    public Uri Collection => Join(contract.CollectionPath);
    public Uri Item(string id) => Join(contract.ItemPath(id));

    private Uri Join(string path) => new(baseUrl, path.TrimStart('/'));

    /// <summary>The payload as UTF-8 JSON (written as bytes at once: no string in between).</summary>
    public static byte[] Serialize(JsonNode? payload) => payload is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson);

    public Task<Exchange> CreateAsync(TargetProject project, JsonNode? payload, CancellationToken ct = default) =>
        CreateAsync(project, project.Auth, Serialize(payload), JsonContentType, ct);

    /// <summary>Sends a create. <paramref name="project"/> says which project the credentials would create in (for the journal).</summary>
    public async Task<Exchange> CreateAsync(TargetProject project, AuthHeader auth, byte[] body, string? contentType, CancellationToken ct = default)
    {
        var exchange = await client.SendAsync(new RequestSpec(HttpMethod.Post, Collection, auth, body, contentType), ct).ConfigureAwait(false);
        CreateStatuses.AddOrUpdate(exchange.Response?.Status ?? 0, 1, (_, n) => n + 1); // report: the tally above
        if (CreatedId(exchange) is { } id)
            journal?.Created(project, id, Username(exchange.Response!.Json!.Value));
        return exchange;
    }

    public Task<Exchange> GetAsync(AuthHeader auth, string id, CancellationToken ct = default) =>
        client.SendAsync(new RequestSpec(HttpMethod.Get, Item(id), auth), ct);

    public async Task<Exchange> DeleteAsync(TargetProject project, string id, AuthHeader? auth = null, CancellationToken ct = default)
    {
        var exchange = await client.SendAsync(new RequestSpec(HttpMethod.Delete, Item(id), auth ?? project.Auth), ct).ConfigureAwait(false);
        // Gone either way: deleted now (2xx), or already (404, e.g. a DELETE whose answer a cancellation cut off).
        if (exchange.Response is { } gone && (Rules.Statuses.IsSuccess(gone.Status) || gone.Status == Rules.Statuses.NotFound) && exchange.Failure is null && (auth is null || auth == project.Auth))
            journal?.Deleted(project, id);
        return exchange;
    }

    /// <summary>Reads every page of the list, following links.next until it is absent or null (a loop or 1,000 pages stop it; see <see cref="NextPage"/>).</summary>
    public async Task<ListResult> ListAllAsync(AuthHeader auth, CancellationToken ct = default, int maxPages = 1000)
    {
        var pages = new List<Exchange>();
        var items = new List<JsonElement>();
        var seen = new HashSet<string>();
        Uri? next = Collection;
        while (next is not null)
        {
            if (!seen.Add(next.AbsoluteUri)) return new ListResult(pages, items, $"links.next loops back to {next}");
            if (pages.Count >= maxPages) return new ListResult(pages, items, $"more than {maxPages} pages");
            var page = await client.SendAsync(new RequestSpec(HttpMethod.Get, next, auth), ct).ConfigureAwait(false);
            pages.Add(page);
            if (page.Response is not { } r || r.Status != Rules.Statuses.Ok)
                return new ListResult(pages, items, $"page {pages.Count} answered {Describe(page)}");
            if (r.Json is not { ValueKind: JsonValueKind.Object } body
                || !body.TryGetProperty(ListFields.Data, out var data) || data.ValueKind != JsonValueKind.Array)
                return new ListResult(pages, items, $"page {pages.Count} is not an object with a data array ({r.JsonProblem ?? "wrong shape"})");
            items.AddRange(data.EnumerateArray());
            next = null;
            if (body.TryGetProperty(ListFields.Links, out var links) && links.ValueKind == JsonValueKind.Object
                && links.TryGetProperty(ListFields.Next, out var n))
            {
                if (NextPage(page.Request.Url, n) is var (url, problem) && problem is not null)
                    return new ListResult(pages, items, problem);
                next = url;
            }
        }
        return new ListResult(pages, items, null);
    }

    /// <summary>
    /// Where links.next leads, read as RFC 3986 and JSON allow a server to write it: absent, <c>null</c> or <c>""</c> end
    /// the list (a null member is read as an absent one; an empty reference would only name the page just read); a
    /// relative reference is resolved against the URI the page was fetched from (RFC 3986 5.1.3, 5.2: "?page=2",
    /// "/api/...", "../x"); an absolute one is taken as is, with whatever query it carries; percent-encoded octets are
    /// sent on as they are (RFC 3986 2.1, 6.2.2: only their hex case and unreserved octets may be normalised). A link
    /// to another origin (scheme, host, port: RFC 6454) is not followed, because the credentials go with every page.
    /// Any other JSON value is a wrong answer and says so.
    /// </summary>
    internal (Uri? Next, string? Problem) NextPage(Uri pageUrl, JsonElement next)
    {
        if (next.ValueKind == JsonValueKind.Null) return (null, null);
        if (next.ValueKind != JsonValueKind.String)
            return (null, $"links.next is a JSON {next.ValueKind}, not a URI reference (a string) or null");
        var href = next.GetString()!;
        if (href.Length == 0) return (null, null);
        if (!Uri.TryCreate(pageUrl, href, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return (null, $"links.next is not an HTTP URI reference: {href}");
        if (!SameOrigin(url, baseUrl))
            return (null, $"links.next points at another origin ({url.GetLeftPart(UriPartial.Authority)}); the suite does not send credentials there");
        return (url, null);
    }

    /// <summary>Scheme, host and port alike (RFC 6454 section 5; the host compared case-insensitively, a default port as the scheme's).</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>
    /// The username of an endpoint's JSON, when it is a string: sip_endpoint.username (2026-03-18), or the
    /// top-level username of a flat answer (2026-08-21). Cleanup finds its endpoints under either revision.
    /// </summary>
    public static string? Username(JsonElement endpoint)
    {
        if (endpoint.ValueKind != JsonValueKind.Object) return null;
        var holder = endpoint.TryGetProperty(ResponseFields.SipEndpoint, out var sip) && sip.ValueKind == JsonValueKind.Object ? sip : endpoint;
        return holder.TryGetProperty(FieldNames.Username, out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
    }

    /// <summary>The top-level id of an endpoint's JSON, when it is a string.</summary>
    public static string? ItemId(JsonElement endpoint) =>
        endpoint.ValueKind == JsonValueKind.Object && endpoint.TryGetProperty(ResponseFields.Id, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>The id a 2xx create answer names (what the read-back, the delete and the journal use).</summary>
    public static string? CreatedId(Exchange e) =>
        e.Response is { } r && Rules.Statuses.IsSuccess(r.Status) && r.Json is { } json ? ItemId(json) : null;

    public static string Describe(Exchange e) =>
        e.Response is { } r ? $"HTTP {r.Status}" : $"no answer ({e.Failure})";
}
