namespace SipConformance.Findings;

/// <summary>Of the 200 bodies that failed the schema check (and were kept), how many validate against another revision's schema.</summary>
public sealed record SchemaRevisionProbeEntry(string Check, string Revision, string Schema, int Held, int Failed, int Examined, int ValidUnderRevision, int Unreadable);
