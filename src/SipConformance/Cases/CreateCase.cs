using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.Rules;
using SipConformance.Target;

namespace SipConformance.Cases;

/// <summary>
/// What a stimulus states of its own about the answers the contract allows it (a parser-differential entry's
/// "expect"), over what its rule allows its cases in general; and what a 200 to it must hold beyond the rule's condition.
/// </summary>
public sealed record CaseExpectation(IReadOnlyList<int> Statuses, Func<System.Text.Json.JsonElement, SipContract, string?>? OnSuccess = null);

/// <summary>
/// One create request the suite sends: what it is called, how it was made (origin, combination
/// cell), the bytes and headers, the project it acts as, the field it varies (if any), and the
/// rule whose stimulus it is (that rule says which answers are allowed). Made by <see cref="CaseBuilder"/>.
/// </summary>
public sealed record CreateCase(
    string Name,
    string Origin,
    string? Cell,
    byte[] Body,
    string? ContentType,
    JsonNode? Payload,
    AuthHeader Auth,
    TargetProject Project,
    CaseRule Rule,
    EchoExpectation? Echo,
    string? Field,
    CaseExpectation? Expected = null,
    IReadOnlyList<string>? TextFields = null)
{
    /// <summary>The cases sent in its place when this one is refused with 422 (the same text, one field at a time).</summary>
    public IReadOnlyList<CreateCase> OnRefusal { get; init; } = [];

    /// <summary>The string fields that hold the text the case is about: several when one text goes in every field at once.</summary>
    public IReadOnlyList<string> Texts => TextFields ?? (Field is null ? [] : [Field]);

    /// <summary>The username sent, when it is a string (so the list can be searched for it).</summary>
    public string? Username => EchoExpectation.AsString((Payload as JsonObject)?[FieldNames.Username]);

    /// <summary>The statuses the case's rule allows for it.</summary>
    public IReadOnlyList<int> Allowed => Rule.Allows(this);

    /// <summary>How the case names itself in a finding.</summary>
    public string Describe() => Cell is null ? $"{Name} [{Origin}]" : $"{Name} [{Cell}; {Origin}]";
}
