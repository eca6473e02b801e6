using System.Xml;
using System.Xml.Linq;
using SipConformance.Configuration;

namespace SipConformance.Cli;

/// <summary>The TestRunParameters of a .runsettings file, as `dotnet test` would hand them to the suite.</summary>
public static class RunSettingsFile
{
    public static IReadOnlyDictionary<string, string?> Read(string path)
    {
        if (!File.Exists(path)) throw new SettingsException($"--settings: no file '{path}'.");
        XDocument doc;
        try { doc = XDocument.Load(path); }
        catch (XmlException e) { throw new SettingsException($"--settings: '{path}' is not XML ({e.Message})."); }
        if (doc.Root?.Name.LocalName != "RunSettings") throw new SettingsException($"--settings: '{path}' is not a .runsettings file (no <RunSettings> root).");
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in doc.Root.Elements("TestRunParameters").Elements("Parameter"))
            if (p.Attribute("name")?.Value is { Length: > 0 } name)
                parameters[name] = p.Attribute("value")?.Value;
        return parameters;
    }
}
