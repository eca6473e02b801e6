namespace SipConformance.Cases;

/// <summary>
/// One input a rule brings of its own: a name, and how it turns a valid case into the case that
/// exercises the rule (for example a credential, a body, a text). <paramref name="OnRefusal"/>: the stimuli sent
/// instead when this one is refused with 422 (a text sent in every string field at once is sent again one field at a
/// time only when refused: a target that stores it pays one create, not one per field; one that refuses it in some
/// field still has every field judged alone).
/// </summary>
public sealed record Stimulus(string Name, Func<CaseBuilder, CaseBuilder> Shape, IReadOnlyList<Stimulus>? OnRefusal = null)
{
    public override string ToString() => Name;
}
