using SipConformance.Target;

namespace SipConformance.Rules.Observations;

/// <summary>The complete answer to a DELETE of an endpoint the run created.</summary>
public sealed class DeleteSeen(Exchange exchange, string caseName) : Observation(caseName)
{
    public Exchange Exchange => exchange;
    public int Status => exchange.Response!.Status;

    protected override IReadOnlyList<Exchange?> Shown => [exchange];
}
