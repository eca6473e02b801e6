namespace SipConformance.Configuration;

/// <summary>
/// A credential. Its <see cref="ToString"/> never shows the value, so a secret that slips into a
/// log line, an interpolated message or a debugger view prints as [REDACTED].
/// </summary>
public sealed class Secret(string value)
{
    public const string Mask = "[REDACTED]";

    /// <summary>The value itself: only for building an Authorization header.</summary>
    public string Reveal() => value;

    public bool IsEmpty => value.Length == 0;

    public override string ToString() => Mask;
}
