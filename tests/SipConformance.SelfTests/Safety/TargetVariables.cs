using SipConformance.Configuration;

namespace SipConformance.SelfTests.Safety;

/// <summary>The SIPCONF_* variables that aim a run at a reference server (its two projects and their resources), as a user would set them.</summary>
public static class TargetVariables
{
    public static Dictionary<string, string?> Of(ReferenceServer.ReferenceServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new()
        {
            [SettingsLoader.BaseUrl] = server.BaseUrl.ToString(),
            [SettingsLoader.ProjectId] = server.Primary.ProjectId,
            [SettingsLoader.ApiToken] = server.Primary.ApiToken,
            [SettingsLoader.ResourceId] = server.Primary.ResourceId,
            [SettingsLoader.SecondProjectId] = server.Secondary.ProjectId,
            [SettingsLoader.SecondApiToken] = server.Secondary.ApiToken,
            [SettingsLoader.SecondResourceId] = server.Secondary.ResourceId,
        };
    }
}
