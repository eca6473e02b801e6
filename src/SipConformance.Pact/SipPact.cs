using SipConformance.Rules;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Pact.Model;

namespace SipConformance.Pact;

/// <summary>
/// The pact between a client of "Create SIP Endpoint" and the Fabric API, defined once, from the
/// contract model: every enum value comes from <see cref="SipContract"/>. Examples are fixed (the
/// same contract gives the same file, byte for byte), and they are what the verifier sends to a
/// provider, so usernames carry a "sipconf_pact_" prefix that marks them as this suite's.
/// </summary>
public static class SipPact
{
    /// <summary>The provider state under which a resource usable as call handler exists.</summary>
    public const string ResourceState = "a resource usable as call handler exists";

    /// <summary>The key under which the state-change answer hands out that resource's id.</summary>
    public const string ResourceIdKey = "resource_id";

    /// <summary>The provider state under which a caller id the project accepts is known (a project may take only its own numbers).</summary>
    public const string CallerIdState = "a caller id the project accepts is known";

    /// <summary>The key under which the state-change answer hands out that caller id.</summary>
    public const string CallerIdKey = "caller_id";

    /// <summary>The caller id the pact shows, and the one a state server hands out when no caller id is configured: an E.164 number.</summary>
    public const string ExampleCallerId = "+15550100000";

    /// <summary>The prefix of every username the pact sends; what the pact sends keeps to the baseline every server must take (a-z, 0-9, _; E.164).</summary>
    public const string UsernamePrefix = "sipconf_pact_";

    /// <summary>What a Basic credential looks like (the real one is injected at verification).</summary>
    public const string AuthorizationPattern = "^Basic [A-Za-z0-9+/]+={0,2}$";

    /// <summary>The JSON media type with optional parameters, as RFC 9110 8.3.1 lets a server write it: type and subtype case-insensitive, whitespace before a parameter (a charset is fine).</summary>
    public const string JsonMediaTypePattern = "(?i)^application/json[ \\t]*(;.*)?$";

    /// <summary>The Authorization example in the pact file: a placeholder, never a credential.</summary>
    public static readonly string PlaceholderAuthorization =
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("pact-placeholder-project:pact-placeholder-token"));

    public const string ExampleTimestamp = "2026-03-18T12:00:00Z";

    /// <summary>
    /// The interactions, in a fixed order: one successful create per call_handler value (the
    /// encryption values and every cipher and codec spread over them, each at least once), one
    /// per encryption value not covered that way, then 401 without credentials, 422 for a
    /// resource handler without id, 422 for a value outside its enum.
    /// </summary>
    public static IReadOnlyList<PactInteraction> Interactions(SipContract contract)
    {
        var list = new List<PactInteraction>();
        var handlers = contract.CallHandlers;
        var encryptions = contract.Encryptions;
        var rows = Math.Max(handlers.Count, encryptions.Count);
        var used = new HashSet<(string, string)>();
        for (var i = 0; i < rows; i++)
        {
            var handler = handlers[i % handlers.Count];
            var encryption = encryptions[i % encryptions.Count];
            used.Add((handler, encryption));
            list.Add(Create(contract, i, rows, handler, encryption));
        }
        // Without credentials, a pair no successful create uses: a matcher that ignores a missing
        // header (the pact stub server does) still cannot take this request for one of those.
        var unused = handlers.Where(h => h != CallHandlerValues.Resource)
            .SelectMany(h => encryptions.Select(e => (h, e)))
            .FirstOrDefault(p => !used.Contains(p), (handlers[0], encryptions[0]));
        list.Add(Unauthorized(contract, unused.Item1, unused.Item2));
        list.Add(ResourceWithoutId(contract));
        list.Add(OutsideEnum(contract));
        return list;
    }

    /// <summary>The state parameters and expression that carry the resource id from the provider to the request.</summary>
    public static string ResourceIdExpression => "${" + ResourceIdKey + "}";

    /// <summary>The expression that carries the caller id from the provider to the request.</summary>
    public static string CallerIdExpression => "${" + CallerIdKey + "}";

    /// <summary>
    /// A revision whose answer is flat (2026-08-21's SipEndpointResponse): the endpoint's fields at the top
    /// level. call_handler is matched by type only: that revision's answer may hold the requested value or an
    /// inbound handler (the "either" rule CREATE-ECHO-009). The answer's other properties (the inbound
    /// handler's settings, which a create does not set) are null.
    /// </summary>
    private static JsonObject FlatResponse(SipContract contract, int row, string username, string callerId, string sendAs,
        IReadOnlyList<string> ciphers, IReadOnlyList<string> codecs, string encryption, string handler, bool isResource)
    {
        var response = new JsonObject
        {
            [ResponseFields.Type] = contract.ResourceType,
            [ResponseFields.Id] = Match.Uuid(ExampleUuid("id-" + row)),
            [FieldNames.Username] = username,
            [FieldNames.CallerId] = Match.Type(callerId),
            [FieldNames.SendAs] = sendAs,
            [FieldNames.Ciphers] = Match.ContainsEach(ciphers),
            [FieldNames.Codecs] = Match.ContainsEach(codecs),
            [FieldNames.Encryption] = encryption,
            [FieldNames.CallHandler] = Match.Type(handler),
            [FieldNames.CallingHandlerResourceId] = isResource ? Match.Uuid(ExampleUuid("resource")) : null,
            };
        var request = contract.CreateFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in contract.ResponseProperties.Where(p => !response.ContainsKey(p) && !request.Contains(p)))
            response[name] = null;
        return response;
    }

    private static PactInteraction Create(SipContract contract, int row, int rows, string handler, string encryption)
    {
        var ciphers = Spread(contract.Ciphers, row, rows);
        var codecs = Spread(contract.Codecs, row, rows);
        var isResource = handler == CallHandlerValues.Resource;
        var username = $"{UsernamePrefix}{handler}_{encryption}".Replace('-', '_');
        var callerId = ExampleCallerId;
        var sendAs = $"sip_conformance_{row + 1}";

        var request = new JsonObject
        {
            [FieldNames.Id] = Match.Uuid(ExampleUuid("request-id-" + row)),
            [FieldNames.Username] = Match.Type(username),
            [FieldNames.CallerId] = Match.FromProviderState(Match.Type(callerId), CallerIdExpression),
            [FieldNames.SendAs] = Match.Type(sendAs),
            [FieldNames.Ciphers] = Match.EachOneOf(contract.Ciphers, ciphers),
            [FieldNames.Codecs] = Match.EachOneOf(contract.Codecs, codecs),
            [FieldNames.Encryption] = encryption,
            [FieldNames.CallHandler] = handler,
            [FieldNames.CallingHandlerResourceId] = isResource
                ? Match.FromProviderState(Match.Uuid(ExampleUuid("resource")), ResourceIdExpression)
                : null,
        };
        var response = contract.IsFlat ? FlatResponse(contract, row, username, callerId, sendAs, ciphers, codecs, encryption, handler, isResource) : new JsonObject
        {
            [ResponseFields.Id] = Match.Uuid(ExampleUuid("id-" + row)),
            [ResponseFields.ProjectId] = Match.Uuid(ExampleUuid("project")),
            [ResponseFields.DisplayName] = Match.Type(username),
            [ResponseFields.Type] = contract.ResourceType,
            [ResponseFields.CreatedAt] = Match.Rfc3339(ExampleTimestamp),
            [ResponseFields.UpdatedAt] = Match.Rfc3339(ExampleTimestamp),
            [ResponseFields.SipEndpoint] = new JsonObject
            {
                [FieldNames.Id] = Match.Uuid(ExampleUuid("endpoint-id-" + row)),
                // The contract requires an exact echo of these: literals.
                [FieldNames.Username] = username,
                // The provider's own caller id (from the provider state): a string; the suite checks the echo is exact.
                [FieldNames.CallerId] = Match.Type(callerId),
                [FieldNames.SendAs] = sendAs,
                // The same set of values, in any order.
                [FieldNames.Ciphers] = Match.ContainsEach(ciphers),
                [FieldNames.Codecs] = Match.ContainsEach(codecs),
                [FieldNames.Encryption] = encryption,
                [FieldNames.CallHandler] = handler,
                [FieldNames.CallingHandlerResourceId] = isResource ? Match.Uuid(ExampleUuid("resource")) : null,
            },
        };

        var interaction = PactInteraction.Describe(isResource
            ? $"a create with call_handler {handler} (the resource from the provider state) and encryption {encryption}"
            : $"a create with call_handler {handler} and encryption {encryption}");
        interaction.Given(CallerIdState);
        if (isResource) interaction.Given(ResourceState);
        return Authorized(interaction, contract)
            .WithJsonBody(request)
            .WillRespondWith(contract.SuccessStatus(SchemaNames.CreateOperation))
            .WithResponseHeader("Content-Type", Match.Regex(JsonMediaTypePattern, PactInteraction.JsonContentType))
            .WithResponseJsonBody(response);
    }

    private static PactInteraction Unauthorized(SipContract contract, string handler, string encryption)
    {
        // Literal values throughout: this request must not match any authorised interaction's body.
        var request = PlainCreate(contract, UsernamePrefix + "no_credentials", handler, encryption);
        return PactInteraction.Describe("a create without credentials")
            .WithRequest("POST", contract.CollectionPath)
            .WithJsonBody(request)
            .WillRespondWith(Statuses.Unauthorized)
            .WithResponseHeader("Content-Type", Match.Regex(JsonMediaTypePattern, PactInteraction.JsonContentType))
            .WithResponseJsonBody(new JsonObject { ["error"] = contract.UnauthorizedError });
    }

    private static PactInteraction ResourceWithoutId(SipContract contract)
    {
        var request = PlainCreate(contract, UsernamePrefix + "resource_without_id", CallHandlerValues.Resource, contract.Encryptions[0]);
        request[FieldNames.CallingHandlerResourceId] = null;
        return Authorized(PactInteraction.Describe("a create with call_handler resource and a null calling_handler_resource_id"), contract)
            .WithJsonBody(request)
            .WillRespondWith(Statuses.Unprocessable)
            .WithResponseHeader("Content-Type", Match.Regex(JsonMediaTypePattern, PactInteraction.JsonContentType))
            .WithResponseJsonBody(ValidationErrors("calling_handler_resource_id is required when call_handler is resource"));
    }

    private static PactInteraction OutsideEnum(SipContract contract)
    {
        var unknown = "sipconf-not-an-encryption";
        if (contract.Encryptions.Contains(unknown)) throw new InvalidOperationException("the contract knows the 'unknown' encryption value");
        var request = PlainCreate(contract, UsernamePrefix + "unknown_encryption", contract.CallHandlers[0], unknown);
        return Authorized(PactInteraction.Describe("a create with an encryption value outside its enum"), contract)
            .WithJsonBody(request)
            .WillRespondWith(Statuses.Unprocessable)
            .WithResponseHeader("Content-Type", Match.Regex(JsonMediaTypePattern, PactInteraction.JsonContentType))
            .WithResponseJsonBody(ValidationErrors("encryption is not one of " + string.Join(", ", contract.Encryptions)));
    }

    private static PactInteraction Authorized(PactInteraction interaction, SipContract contract) =>
        interaction.WithRequest("POST", contract.CollectionPath)
            .WithRequestHeader("Authorization", Match.Regex(AuthorizationPattern, PlaceholderAuthorization));

    /// <summary>A create body with literal values only (for interactions told apart by their body).</summary>
    private static JsonObject PlainCreate(SipContract contract, string username, string handler, string encryption) => new()
    {
        [FieldNames.Id] = ExampleUuid("request-" + username),
        [FieldNames.Username] = username,
        [FieldNames.CallerId] = ExampleCallerId,
        [FieldNames.SendAs] = "sip_conformance",
        [FieldNames.Ciphers] = new JsonArray(contract.Ciphers[0]),
        [FieldNames.Codecs] = new JsonArray(contract.Codecs[0]),
        [FieldNames.Encryption] = encryption,
        [FieldNames.CallHandler] = handler,
        [FieldNames.CallingHandlerResourceId] = null,
    };

    private static JsonObject ValidationErrors(string message) => new()
    {
        ["errors"] = new JsonObject
        {
            [Match.MatcherKey] = "type",
            ["min"] = 1,
            ["value"] = new JsonArray(new JsonObject
            {
                ["type"] = Match.Type("validation_error"),
                ["code"] = Match.Type("invalid_parameter"),
                ["message"] = Match.Type(message),
                ["url"] = Match.Type("https://developer.signalwire.com/rest/overview/error-codes#invalid_parameter"),
            }),
        },
    };

    /// <summary>The values at positions row, row + rows, row + 2·rows…: spread over the rows, every value appears once.</summary>
    internal static IReadOnlyList<string> Spread(IReadOnlyList<string> values, int row, int rows)
    {
        var picked = values.Where((_, i) => i % rows == row).ToList();
        return picked.Count > 0 ? picked : [values[row % values.Count]];
    }

    /// <summary>A fixed, valid UUID (version 4 layout) named by a seed, so the file is the same on every run.</summary>
    public static string ExampleUuid(string seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("sipconformance-pact:" + seed)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}

/// <summary>Checks the pact's examples against the contract itself, before any engine sees them.</summary>
public static class SipPactContractCheck
{
    /// <summary>Throws <see cref="PactDefinitionException"/> when an example contradicts a schema of the contract.</summary>
    public static void Check(SipContract contract, IReadOnlyList<PactInteraction> interactions)
    {
        var problems = new List<string>();
        var descriptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in interactions)
        {
            if (!descriptions.Add(i.Description)) problems.Add($"'{i.Description}' is defined twice");
            i.Validate();
            var success = Statuses.IsSuccess(i.Status);
            if (success && i.ExampleRequestBody is { } request)
            {
                var v = contract.Validate(SchemaNames.CreateRequest, request.ToJsonString());
                if (!v.IsValid) problems.Add($"'{i.Description}' request example: {v}");
            }
            var schema = contract.ResponseSchema(SchemaNames.CreateOperation, i.Status);
            if (schema is not null && i.ExampleResponseBody is { } response)
            {
                var v = contract.Validate(schema, response.ToJsonString());
                if (!v.IsValid) problems.Add($"'{i.Description}' response example: {v}");
            }
        }
        if (problems.Count > 0) throw new PactDefinitionException("the pact contradicts the contract: " + string.Join("; ", problems));
    }
}
