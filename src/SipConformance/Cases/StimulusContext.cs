using SipConformance.Contract;
using SipConformance.Generation;
using SipConformance.Running;

namespace SipConformance.Cases;

/// <summary>What a rule may draw its stimuli from: the contract, the run's identity (seeded ids), the target's projects, the payload generator.</summary>
public sealed record StimulusContext(SipContract Contract, RunIdentity Identity, ResolvedTarget Target, PayloadFactory Payloads);
