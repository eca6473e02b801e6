using System.Text.Json;
using SipConformance.Contract;
using SipConformance.Rules.Observations;
using static SipConformance.Rules.JsonText;

namespace SipConformance.Rules;

/// <summary>The contract's "Reading back, listing, deleting": the list clauses (docs/RULES.md, CREATE-LIST).</summary>
public static class Listing
{
    public static readonly Section Section = new("LIST", "listing", "Reading back, listing, deleting: the list");

    public static readonly ManyRule<ListSeen> Shape = new("CREATE-LIST-001", Level.Must,
        "the list answers {data, links} and its links.next ends",
        "The list answers one object {\"data\": [...], \"links\": {\"self\", \"first\", \"next\"?, \"prev\"?}}; follow links.next until it is absent",
        (o, v) =>
        {
            foreach (var page in o.List.Pages)
            {
                if (!Answered(page)) return;
                if (page.Response is { Json: { } json } && page.Response.Status == Statuses.Ok)
                    v.Judge(PageShape(json), o.CaseName, page);
            }
            if (o.List.Problem is not null && o.List.Pages.LastOrDefault()?.Response is not null) v.Breaks(o.List.Problem);
        });

    public static readonly ManyRule<ListSeen> OwnProjectOnly = new ManyRule<ListSeen>("CREATE-LIST-002", Level.Must,
        "the list holds only the authenticated project's endpoints", "MUST: the list holds only the authenticated project's endpoints",
        (o, v) =>
        {
            if (o.Project is not { } project || !o.List.Complete) return;
            // Where items carry no project_id (2026-08-21), the ids known to be another project's are what tells.
            var owned = o.Contract.ResponseDefines(ResponseFields.ProjectId);
            foreach (var item in o.List.Items)
            {
                var owner = Path(item, ResponseFields.ProjectId);
                var id = Target.SipApi.ItemId(item);
                var problem = o.Foreign.Any(f => UuidText.SameUuid(f, id)) ? $"the {project.Label} project's list holds {id}, an endpoint of another project"
                    : !owned || owner is { ValueKind: JsonValueKind.String } p && UuidText.SameUuid(p.GetString(), project.ProjectId) ? null
                    : $"the {project.Label} project's list holds {id} whose project_id is {Raw(owner)}";
                v.Judge(problem);
            }
        }).Under(ContractRevisions.August2026, "MUST: the list holds only the authenticated project's endpoints (2026-08-21: items carry no project_id; no item may be an endpoint another project created)");

    /// <summary>2026-08-21: every item of the list is a SipEndpoint.</summary>
    public static readonly ManyRule<ListSeen> ItemSchema = new ManyRule<ListSeen>("CREATE-LIST-003", Level.Must,
        "list items validate against SipEndpoint", "MUST (2026-08-21): list items validate against SipEndpoint",
        (o, v) =>
        {
            if (!o.List.Complete) return;
            foreach (var item in o.List.Items)
                v.Judge(Success.Validate(o.Contract, o.Contract.ListItemSchema, item) is { } problem ? $"list item {Target.SipApi.ItemId(item)}: {problem}" : null);
        }).Only(ContractRevisions.August2026);

    /// <summary>
    /// The page's shape. Links are strings; whether they are absolute is left open (they are
    /// resolved against the page's URL), so the schema's "uri" format is not asserted here.
    /// </summary>
    private static string? PageShape(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return $"the list is a JSON {json.ValueKind}, not an object {{{ListFields.Data}, {ListFields.Links}}}";
        if (!json.TryGetProperty(ListFields.Data, out var data) || data.ValueKind != JsonValueKind.Array) return $"the list has no {ListFields.Data} array";
        if (!json.TryGetProperty(ListFields.Links, out var links) || links.ValueKind != JsonValueKind.Object) return $"the list has no {ListFields.Links} object";
        foreach (var name in ListFields.RequiredLinks)
            if (!links.TryGetProperty(name, out var l) || l.ValueKind != JsonValueKind.String) return $"{ListFields.Links}.{name} is {Raw(links.TryGetProperty(name, out var v) ? v : null)}, not a string";
        foreach (var name in ListFields.OptionalLinks)
            if (links.TryGetProperty(name, out var l) && l.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return $"{ListFields.Links}.{name} is {Raw(l)}, not a string";
        return null;
    }
}
