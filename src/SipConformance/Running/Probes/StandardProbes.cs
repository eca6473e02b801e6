namespace SipConformance.Running;

/// <summary>The probes every run has.</summary>
public static class StandardProbes
{
    public static IEnumerable<Probe> All() =>
    [
        new Probes.CombinationProbe(),
        new Probes.NegativeProbe(),
        new Probes.StringProbe(),
        new Probes.AuthProbe(),
        new Probes.IsolationProbe(),
        new Probes.MalformedProbe(),
        new Probes.PropertyProbe(),
    ];
}
