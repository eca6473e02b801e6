using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace SipConformance.Contract;

/// <summary>How a request field is typed in the contract.</summary>
public enum FieldKind
{
    /// <summary>A JSON string.</summary>
    String,
    /// <summary>A JSON string holding a UUID.</summary>
    Uuid,
    /// <summary>A JSON string, one of <see cref="FieldSpec.Values"/>.</summary>
    Enum,
    /// <summary>A JSON array whose items are each one of <see cref="FieldSpec.Values"/>.</summary>
    EnumArray,
}

/// <summary>One property of the create request, as the contract file describes it.</summary>
public sealed record FieldSpec(
    string Name,
    FieldKind Kind,
    bool Required,
    bool Nullable,
    IReadOnlyList<string> Values,
    string? Default,
    string? ValuesSchema)
{
    public bool IsString => Kind is FieldKind.String or FieldKind.Uuid or FieldKind.Enum;
}

/// <summary>An error found by JSON Schema validation.</summary>
public sealed record SchemaError(string InstanceLocation, string Keyword, string Message)
{
    public override string ToString() => $"{(InstanceLocation.Length == 0 ? "/" : InstanceLocation)}: {Message} ({Keyword})";
}

/// <summary>The outcome of validating one JSON value against one schema of the contract.</summary>
public sealed record SchemaValidation(string Schema, IReadOnlyList<SchemaError> Errors)
{
    public bool IsValid => Errors.Count == 0;
    public override string ToString() => IsValid ? $"valid {Schema}" : $"not a valid {Schema}: " + string.Join("; ", Errors);
}

/// <summary>
/// The contract model: read once from our OpenAPI 3.1 file, it answers every question the suite
/// and the reference server have about the API (paths, status codes, enums, required fields,
/// field types) and validates JSON against the file's schemas (JSON Schema 2020-12, formats asserted).
/// </summary>
public sealed class SipContract
{
    public const string DefaultRevision = ContractRevisions.March2026;
    private static readonly Lazy<SipContract> DefaultContract = new(() => LoadRevision(DefaultRevision));

    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompiledSchema?> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaValidation> _valid = new(StringComparer.Ordinal);
    private readonly EvaluationOptions _evaluation;
    private readonly EvaluationOptions _quick;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<SipContract>> Loaded = new(StringComparer.Ordinal);

    /// <summary>The contract of the revision the suite targets by default (2026-03-18). Only where a run is composed.</summary>
    public static SipContract Default => DefaultContract.Value;

    /// <summary>A shipped revision, loaded (and checked) once per process.</summary>
    public static SipContract Of(string revision) =>
        revision == DefaultRevision ? Default : Loaded.GetOrAdd(revision, r => new Lazy<SipContract>(() => LoadRevision(r))).Value;

    public string Revision { get; }
    public JsonObject Document { get; }

    /// <summary>The create request's fields, in the order the contract lists them.</summary>
    public IReadOnlyList<FieldSpec> CreateFields { get; }

    public string CollectionPath { get; }
    public string ItemPathTemplate { get; }

    public IReadOnlyList<string> Ciphers => Field(FieldNames.Ciphers).Values;
    public IReadOnlyList<string> Codecs => Field(FieldNames.Codecs).Values;
    public IReadOnlyList<string> Encryptions => Field(FieldNames.Encryption).Values;
    public IReadOnlyList<string> CallHandlers => Field(FieldNames.CallHandler).Values;

    /// <summary>The <c>type</c> every SIP endpoint resource carries (from the response schema's enum).</summary>
    public string ResourceType { get; }

    /// <summary>The error text of a 401 body (from the 401 schema's enum).</summary>
    public string UnauthorizedError { get; }

    /// <summary>The error text of a 404 body (from the 404 schema's enum).</summary>
    public string NotFoundError { get; }

    private SipContract(string revision, JsonObject document)
    {
        Revision = revision;
        Document = document;
        var schemas = Obj(Obj(document, "components"), "schemas");

        var formats = new FormatRegistry();
        formats.Register(new UuidFormat());
        formats.Register(new DateTimeFormat());
        // A valid instance is answered by the flag format without annotations (fast); only an
        // invalid one is evaluated again for its list of errors.
        _quick = new EvaluationOptions { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true, FormatRegistry = formats };
        _quick.IgnoreAllAnnotations();
        _evaluation = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true, FormatRegistry = formats };
        _evaluation.IgnoreAllAnnotations();
        BuildSchemas(schemas);

        CollectionPath = FindPath(SchemaNames.CreateOperation);
        ItemPathTemplate = FindPath(SchemaNames.GetOperation);
        CreateFields = ReadCreateFields(schemas);
        foreach (var name in FieldNames.All)
            _ = Field(name);
        EndpointResponseSchema = ResponseSchema(SchemaNames.CreateOperation, SuccessStatus(SchemaNames.CreateOperation))
            ?? throw new InvalidDataException("the create operation's success answer has no schema");
        ListResponseSchema = ResponseSchema(SchemaNames.ListOperation, SuccessStatus(SchemaNames.ListOperation))
            ?? throw new InvalidDataException("the list operation's success answer has no schema");
        ListItemSchema = RefName(Obj(Obj(Obj(Obj(schemas, ListResponseSchema), "properties"), ListFields.Data), "items"))
            ?? throw new InvalidDataException($"{ListResponseSchema}.{ListFields.Data} has no item schema");
        var responseProperties = Obj(Obj(schemas, EndpointResponseSchema), "properties");
        ResponseProperties = responseProperties.Select(p => p.Key).ToList();
        // The property holding the endpoint's own fields (sip_endpoint), or none: the answer is flat.
        EndpointObject = responseProperties.Where(p => p.Value is JsonObject o && RefName(o) is { } target
                && Obj(schemas, target)["properties"] is JsonObject props && props.ContainsKey(FieldNames.Username))
            .Select(p => p.Key).SingleOrDefault();
        if (EndpointObject is null && !responseProperties.ContainsKey(FieldNames.Username))
            throw new InvalidDataException($"{EndpointResponseSchema} holds the endpoint's fields neither flat nor in an object");
        foreach (var name in EndpointObject is null ? ResponseFields.Flat : ResponseFields.All)
            if (!responseProperties.ContainsKey(name))
                throw new InvalidDataException($"{EndpointResponseSchema} has no property '{name}'");
        if (ResponseDefines(ResponseFields.SipEndpoint) && EndpointObject != ResponseFields.SipEndpoint)
            throw new InvalidDataException($"{EndpointResponseSchema}.{ResponseFields.SipEndpoint} does not hold the endpoint");
        InboundCallHandlers = schemas[SchemaNames.InboundCallHandler] is JsonObject inbound && inbound["enum"] is JsonArray inboundValues ? Strings(inboundValues) : [];
        foreach (var (schema, names) in new[] { (ListResponseSchema, new[] { ListFields.Data, ListFields.Links }.Concat(ListFields.RequiredLinks).Concat(ListFields.OptionalLinks)),
                     (SchemaNames.ValidationError, [ErrorFields.Errors, ErrorFields.Attribute]) })
            foreach (var name in names)
                if (!Defines(schemas, Obj(schemas, schema), name, 0))
                    throw new InvalidDataException($"{schema} defines no property '{name}'");
        if (!CallHandlers.Contains(CallHandlerValues.Resource))
            throw new InvalidDataException($"call_handler has no value '{CallHandlerValues.Resource}'");
        ResourceType = SingleEnum(schemas, EndpointResponseSchema, ResponseFields.Type);
        UnauthorizedError = SingleEnum(schemas, SchemaNames.Unauthorized, "error");
        NotFoundError = SingleEnum(schemas, SchemaNames.NotFound, "error");
    }

    /// <summary>The schema the create (and read) answer validates against: FabricSipEndpointResponse in 2026-03-18, SipEndpointResponse in 2026-08-21.</summary>
    public string EndpointResponseSchema { get; }

    /// <summary>The list answer's schema.</summary>
    public string ListResponseSchema { get; }

    /// <summary>The schema of one item of the list's data.</summary>
    public string ListItemSchema { get; }

    /// <summary>The answer's property that holds the endpoint's own fields (sip_endpoint), or null: they are at the top level (flat).</summary>
    public string? EndpointObject { get; }

    /// <summary>True when the answer holds the endpoint's fields at its top level.</summary>
    public bool IsFlat => EndpointObject is null;

    /// <summary>The top-level properties of the create answer, in the file's order.</summary>
    public IReadOnlyList<string> ResponseProperties { get; }

    /// <summary>Whether the create answer defines a top-level property of that name.</summary>
    public bool ResponseDefines(string property) => ResponseProperties.Contains(property);

    /// <summary>The inbound handlers an answer's call_handler may name (SipEndpointCallHandler; none in a revision without it).</summary>
    public IReadOnlyList<string> InboundCallHandlers { get; }

    /// <summary>Where an endpoint field is in an answer: its path (sip_endpoint.username, or username when flat).</summary>
    public string EndpointPath(string field) => EndpointObject is null ? field : $"{EndpointObject}.{field}";

    /// <summary>An endpoint field of an answer body, wherever the revision puts it; null when absent.</summary>
    public JsonElement? EndpointField(JsonElement body, string field)
    {
        if (body.ValueKind != JsonValueKind.Object) return null;
        if (EndpointObject is not null && (!body.TryGetProperty(EndpointObject, out body) || body.ValueKind != JsonValueKind.Object)) return null;
        return body.TryGetProperty(field, out var value) ? value : null;
    }

    private static string? RefName(JsonObject node) =>
        node["$ref"]?.GetValue<string>() is { } r ? r[(r.LastIndexOf('/') + 1)..] : null;

    /// <summary>Whether a schema (following $refs, a few levels deep) defines a property of that name.</summary>
    private static bool Defines(JsonObject schemas, JsonNode? node, string property, int depth)
    {
        switch (node)
        {
            case JsonObject o when depth < 8:
                if (o["properties"] is JsonObject props && props.ContainsKey(property)) return true;
                if (o["$ref"]?.GetValue<string>() is { } r && schemas[r[(r.LastIndexOf('/') + 1)..]] is { } target && Defines(schemas, target, property, depth + 1)) return true;
                return o.Any(p => p.Key != "$ref" && Defines(schemas, p.Value, property, depth + 1));
            case JsonArray a when depth < 8:
                return a.Any(i => Defines(schemas, i, property, depth + 1));
            default:
                return false;
        }
    }

    /// <summary>Loads a revision shipped with this assembly (see <see cref="Revisions"/>).</summary>
    public static SipContract LoadRevision(string revision)
    {
        var name = $"contract/sip-endpoints.{revision}.openapi.yaml";
        using var stream = typeof(SipContract).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"no contract revision '{revision}' (known: {string.Join(", ", Revisions)})", nameof(revision));
        using var reader = new StreamReader(stream);
        return Load(reader.ReadToEnd(), revision);
    }

    /// <summary>The revisions this assembly ships.</summary>
    public static IReadOnlyList<string> Revisions =>
        typeof(SipContract).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("contract/sip-endpoints.", StringComparison.Ordinal))
            .Select(n => n["contract/sip-endpoints.".Length..^".openapi.yaml".Length])
            .Order(StringComparer.Ordinal).ToList();

    public static SipContract Load(string yaml, string revision) =>
        new(revision, YamlToJson.Convert(yaml) as JsonObject ?? throw new InvalidDataException("the contract file is not a YAML mapping"));

    public FieldSpec Field(string name) =>
        CreateFields.FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"the create request has no field '{name}'");

    public string ItemPath(string id) => ItemPathTemplate.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);

    /// <summary>The status codes an operation documents, by operationId.</summary>
    public IReadOnlyList<int> DocumentedStatuses(string operationId) =>
        Obj(Operation(operationId), "responses").Select(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The single 2xx status an operation documents.</summary>
    public int SuccessStatus(string operationId) => DocumentedStatuses(operationId).Single(s => s is >= 200 and < 300);

    /// <summary>The schema a response of an operation must validate against, or null for a body-less answer.</summary>
    public string? ResponseSchema(string operationId, int status)
    {
        var responses = Obj(Operation(operationId), "responses");
        if (responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not JsonObject response) return null;
        var reference = response["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        return reference?[(reference.LastIndexOf('/') + 1)..];
    }

    public JsonSchema Schema(string name) =>
        _schemas.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"the contract has no schema '{name}'");

    public IReadOnlyCollection<string> SchemaNamesInFile => _schemas.Keys;

    /// <summary>A component schema as the contract file writes it (OpenAPI refs unchanged).</summary>
    public JsonObject SchemaObject(string name) => Obj(Obj(Obj(Document, "components"), "schemas"), name);

    /// <summary>
    /// Follows a property schema to what it is: the referenced component's name (if any), its JSON
    /// type and format ("string"/"uuid", "string"/"date-time", "array", "object"...).
    /// </summary>
    /// <remarks>Worked out once per schema object (the contract's document is not changed after it is loaded).</remarks>
    public (string? Component, string? Type, string? Format) Describe(JsonObject propertySchema) =>
        _described.TryGetValue(propertySchema, out var known) ? known : _described.GetOrAdd(propertySchema, DescribeUncached(propertySchema));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<JsonObject, (string?, string?, string?)> _described = new(ReferenceEqualityComparer.Instance);

    /// <summary>What <see cref="Describe"/> answers, worked out from the document each time.</summary>
    public (string? Component, string? Type, string? Format) DescribeUncached(JsonObject propertySchema)
    {
        var shape = propertySchema;
        if (shape["anyOf"] is JsonArray anyOf)
            shape = (JsonObject)anyOf.First(a => a?["type"]?.GetValue<string>() != "null")!;
        string? component = null;
        while (shape["$ref"]?.GetValue<string>() is { } r)
        {
            component = r[(r.LastIndexOf('/') + 1)..];
            shape = SchemaObject(component);
        }
        return (component, shape["type"]?.GetValue<string>(), shape["format"]?.GetValue<string>());
    }

    /// <summary>
    /// Validates against a schema of the contract (JSON Schema 2020-12, formats asserted). The verdict and the
    /// errors are JsonSchema.Net's (<see cref="ValidateWithJsonSchemaNet"/>): an instance the schema's
    /// <see cref="CompiledSchema"/> shows valid is answered at once (it is valid for JsonSchema.Net too: the
    /// property tests compare the two), anything else is evaluated by JsonSchema.Net.
    /// </summary>
    public SchemaValidation Validate(string schemaName, JsonElement instance)
    {
        if (Compiled(schemaName) is { } compiled && compiled.IsValid(instance)) return _valid[schemaName];
        return ValidateWithJsonSchemaNet(schemaName, instance);
    }

    /// <summary>The schema compiled to a specialised validator, or null when it uses keywords that one does not know.</summary>
    public CompiledSchema? Compiled(string schemaName)
    {
        _ = Schema(schemaName);
        return _compiled[schemaName];
    }

    /// <summary>Validation by JsonSchema.Net alone: the reference <see cref="Validate(string, JsonElement)"/> answers as.</summary>
    public SchemaValidation ValidateWithJsonSchemaNet(string schemaName, JsonElement instance)
    {
        var schema = Schema(schemaName);
        if (schema.Evaluate(instance, _quick).IsValid) return new SchemaValidation(schemaName, []);
        var results = schema.Evaluate(instance, _evaluation);
        if (results.IsValid) return new SchemaValidation(schemaName, []);
        var errors = new List<SchemaError>();
        foreach (var detail in (results.Details ?? []).Prepend(results))
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                errors.Add(new SchemaError(detail.InstanceLocation.ToString(), keyword, message));
        if (errors.Count == 0) errors.Add(new SchemaError("", "schema", "does not validate"));
        return new SchemaValidation(schemaName, errors);
    }

    public SchemaValidation Validate(string schemaName, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Validate(schemaName, doc.RootElement);
    }

    private void BuildSchemas(JsonObject components)
    {
        // One 2020-12 document holds every component under $defs; each named schema is that
        // document with a root $ref, so references between components resolve locally.
        var defs = (JsonObject)RewriteRefs(components.DeepClone());
        foreach (var (name, _) in components)
        {
            var doc = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = $"https://sipconformance.invalid/contract/{Revision}/{Uri.EscapeDataString(name)}",
                ["$ref"] = "#/$defs/" + name,
                ["$defs"] = defs.DeepClone(),
            };
            _schemas[name] = JsonSchema.Build(JsonSerializer.SerializeToElement(doc), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            _compiled[name] = CompiledSchema.TryCompile(defs, name);
            _valid[name] = new SchemaValidation(name, []);
        }
    }

    private static JsonNode RewriteRefs(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key == "$ref" && o[key]?.GetValue<string>() is { } r && r.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        o[key] = "#/$defs/" + r["#/components/schemas/".Length..];
                    else if (o[key] is { } child)
                        RewriteRefs(child);
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null) RewriteRefs(child);
                break;
        }
        return node;
    }

    private List<FieldSpec> ReadCreateFields(JsonObject schemas)
    {
        var request = Obj(schemas, SchemaNames.CreateRequest);
        var required = ((JsonArray)request["required"]!).Select(n => n!.GetValue<string>()).ToHashSet();
        var fields = new List<FieldSpec>();
        foreach (var (name, node) in Obj(request, "properties"))
        {
            var prop = (JsonObject)node!;
            var nullable = false;
            var shape = prop;
            if (prop["anyOf"] is JsonArray anyOf)
            {
                nullable = anyOf.Any(a => a?["type"]?.GetValue<string>() == "null");
                shape = (JsonObject)anyOf.First(a => a?["type"]?.GetValue<string>() != "null")!;
            }
            var def = prop["default"]?.GetValue<string>();
            var (kind, values, valuesSchema) = Classify(schemas, shape, name);
            fields.Add(new FieldSpec(name, kind, required.Contains(name), nullable, values, def, valuesSchema));
        }
        return fields;
    }

    private static (FieldKind, IReadOnlyList<string>, string?) Classify(JsonObject schemas, JsonObject shape, string field)
    {
        if (shape["$ref"]?.GetValue<string>() is { } r)
        {
            var target = r[(r.LastIndexOf('/') + 1)..];
            var resolved = Obj(schemas, target);
            if (resolved["enum"] is JsonArray e) return (FieldKind.Enum, Strings(e), target);
            if (resolved["format"]?.GetValue<string>() == "uuid") return (FieldKind.Uuid, [], null);
            return Classify(schemas, resolved, field);
        }
        switch (shape["type"]?.GetValue<string>())
        {
            case "string" when shape["format"]?.GetValue<string>() == "uuid": return (FieldKind.Uuid, [], null);
            case "string" when shape["enum"] is JsonArray e: return (FieldKind.Enum, Strings(e), null);
            case "string": return (FieldKind.String, [], null);
            case "array":
                var (itemKind, values, schema) = Classify(schemas, (JsonObject)shape["items"]!, field);
                if (itemKind != FieldKind.Enum) throw new InvalidDataException($"'{field}': only arrays of enums are modelled");
                return (FieldKind.EnumArray, values, schema);
            default: throw new InvalidDataException($"'{field}': unsupported schema shape");
        }
    }

    private static List<string> Strings(JsonArray a) => a.Select(n => n!.GetValue<string>()).ToList();

    private static string SingleEnum(JsonObject schemas, string schema, string property) =>
        ((JsonArray)Obj(Obj(Obj(schemas, schema), "properties"), property)["enum"]!).Single()!.GetValue<string>();

    private JsonObject Operation(string operationId) => FindOperation(operationId).Operation;

    private string FindPath(string operationId) => FindOperation(operationId).Path;

    /// <summary>
    /// An operation by the role the suite knows it by: its operationId, or (where a revision renamed the
    /// operation ids) the <c>x-sipconformance-operation</c> our file gives it.
    /// </summary>
    private (string Path, JsonObject Operation) FindOperation(string operationId)
    {
        foreach (var (path, item) in Obj(Document, "paths"))
            foreach (var (_, op) in (JsonObject)item!)
                if (op is JsonObject o && (o["operationId"]?.GetValue<string>() == operationId || o[RoleExtension]?.GetValue<string>() == operationId))
                    return (path, o);
        throw new KeyNotFoundException($"the contract has no operation '{operationId}'");
    }

    /// <summary>The extension that names an operation's role when its operationId differs from the one the suite knows.</summary>
    public const string RoleExtension = "x-sipconformance-operation";

    private static JsonObject Obj(JsonObject parent, string key) =>
        parent[key] as JsonObject ?? throw new InvalidDataException($"the contract file lacks '{key}'");

    private sealed class UuidFormat() : Format("uuid")
    {
        public override bool Validate(JsonElement element, out string? errorMessage)
        {
            errorMessage = null;
            if (element.ValueKind != JsonValueKind.String) return true;
            if (ContractFormats.IsUuid(element.GetString())) return true;
            errorMessage = "not a UUID (RFC 9562: 8-4-4-4-12 hex digits)";
            return false;
        }
    }

    private sealed class DateTimeFormat() : Format("date-time")
    {
        public override bool Validate(JsonElement element, out string? errorMessage)
        {
            errorMessage = null;
            if (element.ValueKind != JsonValueKind.String) return true;
            if (ContractFormats.IsDateTime(element.GetString())) return true;
            errorMessage = "not an RFC 3339 date-time";
            return false;
        }
    }
}
