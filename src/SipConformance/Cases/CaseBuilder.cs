using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Rules;
using SipConformance.Target;

namespace SipConformance.Cases;

/// <summary>
/// The one way a create case is made: start from a valid payload (or raw bytes), change what the
/// stimulus varies, name it, and bind it to the rule it exercises.
/// </summary>
public sealed class CaseBuilder
{
    private readonly SipContract _contract;
    private TargetProject _project;
    private JsonObject? _payload;
    private byte[]? _body;
    private string? _contentType = SipApi.JsonContentType;
    private AuthHeader? _auth;
    private string _name = "a valid payload";
    private string _origin = "";
    private string? _cell;
    private string? _field;
    private Mutation? _mutation;
    private CaseExpectation? _expected;
    private List<string>? _textFields;

    private CaseBuilder(SipContract contract, TargetProject project, JsonObject? payload)
    {
        _contract = contract;
        _project = project;
        _payload = payload;
    }

    /// <summary>A fresh valid payload of (stream, index), with the call handler (and enum values) given or drawn.</summary>
    public static CaseBuilder Valid(PayloadFactory payloads, TargetProject project, string stream, long index, EnumChoice? choice = null) =>
        new CaseBuilder(payloads.Contract, project, payloads.Valid(stream, index, choice)).From(stream);

    /// <summary>A case around a payload made elsewhere (a mutation, a generated sample).</summary>
    public static CaseBuilder Of(SipContract contract, TargetProject project, JsonObject payload) => new(contract, project, payload);

    /// <summary>The case of a one-violation mutation: named after it, varying its field, judged by the rule that owns it (<see cref="Build()"/>).</summary>
    public static CaseBuilder Of(SipContract contract, TargetProject project, Mutation m) =>
        new CaseBuilder(contract, project, m.Payload) { _mutation = m }.Named(m.ToString()).Varying(m.Field);

    /// <summary>The valid payload the case started from (changes go to the case's own copy).</summary>
    public JsonObject? Payload => _payload;

    public CaseBuilder Named(string name) { _name = name; return this; }
    public CaseBuilder From(string origin) { _origin = origin; return this; }
    public CaseBuilder InCell(string cell) { _cell = cell; return this; }
    public CaseBuilder As(AuthHeader auth) { _auth = auth; return this; }
    public CaseBuilder For(TargetProject project) { _project = project; return this; }
    public CaseBuilder Varying(string field) { _field = field; return this; }

    /// <summary>Sets a string field to the text the case is about (its rules compare what comes back with it).</summary>
    public CaseBuilder WithText(string field, string text)
    {
        _payload![field] = text;
        _field = field;
        return this;
    }

    /// <summary>
    /// Sets several string fields to the text the case is about (<paramref name="text"/> per field: the username carries
    /// the run's marker); its rules compare every one of them with what comes back.
    /// </summary>
    public CaseBuilder WithTexts(IEnumerable<string> fields, Func<string, string> text)
    {
        _textFields = [];
        foreach (var field in fields)
        {
            _payload![field] = text(field);
            _textFields.Add(field);
        }
        _field = null;
        return this;
    }

    public CaseBuilder Change(Action<JsonObject> change) { change(_payload!); return this; }

    /// <summary>Sends these bytes instead of the payload (malformed bodies); the payload is then not what was sent.</summary>
    public CaseBuilder WithBody(byte[] body) { _body = body; _payload = null; return this; }

    /// <summary>Sends these bytes, which a strict reader reads as <paramref name="meaning"/> (what echoes and the list are compared with).</summary>
    public CaseBuilder WithBody(byte[] body, JsonObject? meaning) { _body = body; _payload = meaning; return this; }

    /// <summary>The answers the contract allows this stimulus (over its rule's), and what a 200 to it must hold.</summary>
    public CaseBuilder Expecting(IReadOnlyList<int> statuses, Func<System.Text.Json.JsonElement, SipContract, string?>? onSuccess = null)
    {
        _expected = new CaseExpectation(statuses, onSuccess);
        return this;
    }

    /// <summary>Sends the payload under another Content-Type (null: none).</summary>
    public CaseBuilder WithContentType(string? contentType) { _contentType = contentType; return this; }

    /// <summary>A mutation's case, bound to the rule that owns the mutation.</summary>
    public CreateCase Build() => Build(RuleBook.OwnerOf(_mutation ?? throw new InvalidOperationException("only a mutation's case knows its rule")));

    public CreateCase Build(CaseRule rule)
    {
        var body = _body ?? SipApi.Serialize(_payload);
        var draft = new CreateCase(_name, _origin, _cell, body, _contentType, _payload, _auth ?? _project.Auth, _project, rule, null, _field, _expected, _textFields);
        return rule.Allows(draft).Contains(Statuses.Ok) && _payload is not null
            ? draft with { Echo = EchoExpectation.From(_contract, _payload) }
            : draft;
    }
}
