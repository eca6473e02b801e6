namespace SipConformance.Rules;

/// <summary>
/// A section of the contract and the rules' area: one ID prefix (<c>CREATE-{Prefix}-NNN</c>), one
/// file of this folder, one JUnit suite. <see cref="Heading"/> is the contract's own heading.
/// </summary>
public sealed record Section(string Prefix, string Name, string Heading)
{
    public override string ToString() => Name;
}
