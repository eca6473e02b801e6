namespace SipConformance.Rules;

/// <summary>What a rule needs of the target before it can be exercised; without it the rule is SKIPPED with the setting to give.</summary>
[Flags]
public enum Requirement
{
    None = 0,
    /// <summary>A resource of the project usable as call handler (SIPCONF_RESOURCE_ID).</summary>
    Resource = 1,
    /// <summary>A second project (SIPCONF_SECOND_PROJECT_ID, SIPCONF_SECOND_API_TOKEN).</summary>
    SecondProject = 2,
}
