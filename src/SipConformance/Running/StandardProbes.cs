using SipConformance.Rules;
using SipConformance.Running.Probes;

namespace SipConformance.Running;

/// <summary>The probes every run has, in the order they run.</summary>
public static class StandardProbes
{
    public static IEnumerable<Probe> All() =>
    [
        new LearnProbe(),
        new CombinationProbe(),
        new NegativeProbe(),
        new StimulusProbe("strings", [Strings.Section]),
        new StimulusProbe("auth", [Authentication.Section], Authentication.RejectedCreatesNothing),
        new IsolationProbe(),
        new LifecycleProbe(),
        new StimulusProbe("malformed", [Misc.Section, Validation.Section]),
        new DifferentialProbe(),
        new PropertyProbe(),
        new ConcurrencyProbe(),
    ];
}
