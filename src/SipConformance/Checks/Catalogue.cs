using System.Reflection;

namespace SipConformance.Checks;

/// <summary>Every check of the suite, found from the area classes, in ID order. IDs are unique and stable.</summary>
public static class Catalogue
{
    private static readonly Type[] Areas = [typeof(Success), typeof(CallHandler), typeof(Validation), typeof(Authentication), typeof(Transport), typeof(Properties), typeof(PactChecks)];

    public static IReadOnlyList<CheckInfo> All { get; } = Areas
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.FieldType == typeof(CheckInfo))
        .Select(f => (CheckInfo)f.GetValue(null)!)
        .OrderBy(c => c.Id, StringComparer.Ordinal)
        .ToList();

    public static CheckInfo Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no check '{id}'");
}
