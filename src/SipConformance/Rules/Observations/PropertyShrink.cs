namespace SipConformance.Rules.Observations;

/// <summary>Where CsCheck's shrinking ended: the seed of the smallest failing sample, the first failing seed, the replay line, and the passing payload nearest to it.</summary>
public sealed record PropertyShrink(string MinimalSeed, string FirstSeed, string Payload, string Replay, string? NearestPassing = null);
