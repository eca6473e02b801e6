using System.Text;
using System.Text.Json.Nodes;
using SipConformance.Contract;
using SipConformance.ReferenceServer;

namespace SipConformance.Tests.ReferenceServerTests;

/// <summary>The probes of the blind faults (UUID parsers, credentials, JSON readers, decoding, storage, races), merged into <see cref="Probes"/>.</summary>
public partial class FaultCatalogueTests
{
    static FaultCatalogueTests()
    {
        foreach (var (id, probe) in BlindProbes) Probes.Add(id, probe);
    }

    private static Probe ResourceIdAccepted(Func<string, string> form) => new(async api =>
        (await api.Create(api.ValidResource().Also(b => b["calling_handler_resource_id"] = form(api.P.ResourceId)))).Status == 200);

    private static Probe RawCreate(Func<Api, string> body, Func<Answer, bool> broken) => new(async api => broken(await api.CreateRaw(body(api))));

    /// <summary>A valid create body as JSON text, its first '{' followed by <paramref name="insert"/>.</summary>
    private static string Inserted(Api api, string insert) => "{" + insert + api.Valid().ToJsonString()[1..];

    private static readonly Dictionary<string, Probe> BlindProbes = new()
    {
        // uuid-parser: each stack's own form of the project's resource id
        [UuidParserFaults.DotNet] = ResourceIdAccepted(id => "{" + id + "}"),
        [UuidParserFaults.Python] = ResourceIdAccepted(id => "urn:uuid:" + id),
        [UuidParserFaults.Go] = ResourceIdAccepted(id => "(" + id + ")"),
        [UuidParserFaults.Java] = ResourceIdAccepted(BlindFaultTests.FullWidthFirst),
        [UuidParserFaults.PathGuid] = new(async api =>
            (await api.Get(Guid.Parse((await api.Create(api.Valid())).Str("id")!).ToString("N"))).Status == 200),
        [UuidParserFaults.PathPostgres] = new(async api => (await api.Get("not-a-uuid")).Status >= 500),

        // credentials
        [CredentialFaults.MySqlCollation] = WithAuth(api => Api.BasicOf($"{api.P.ProjectId}:{api.P.ApiToken.ToUpperInvariant()} "), Not401),
        [CredentialFaults.PartialCompare] = WithAuth(api => Api.BasicOf($"{api.P.ProjectId}:{api.P.ApiToken[..6]}"), Not401),
        [CredentialFaults.PythonBase64] = WithAuth(api => "Basic !" + Api.Basic(api.P)["Basic ".Length..] + "!", Not401),
        [CredentialFaults.SplitDestructure] = WithAuth(api => Api.BasicOf($"{api.P.ProjectId}:{api.P.ApiToken}:x"), Not401),
        [CredentialFaults.AnyProjectToken] = WithAuth(api => Api.BasicOf($"{api.P.ProjectId}:{api.Q.ApiToken}"), Not401),
        [CredentialFaults.SchemeIgnored] = WithAuth(api => Api.Basic(api.P, "Digest"), Not401),

        // json-reader
        [ParserFaults.Newtonsoft] = RawCreate(api => Inserted(api, "/* Newtonsoft */ 'x': 'y',"), a => a.Status == 200),
        [ParserFaults.PythonConstants] = RawCreate(api => Inserted(api, "\"x\": NaN,"), a => a.Status == 200),
        [ParserFaults.StjCommentsCommas] = RawCreate(api => Inserted(api, "// a comment\n"), a => a.Status == 200),
        [ParserFaults.WebNames] = AcceptedFor((b, _) =>
        {
            b["Username"] = b["username"]!.GetValue<string>();
            b.Remove("username");
        }),
        [ParserFaults.StjEnums] = AcceptedFor((b, _) => b["encryption"] = 0),
        [ParserFaults.Jackson] = AcceptedFor((b, _) => b["username"] = 4711),
        [ParserFaults.DuplicateSplit] = RawCreate(api => Inserted(api, "\"encryption\": \"bogus\","),
            a => a.Status == 200 && a.EndpointStr("encryption") == "bogus"),
        [ParserFaults.PythonSurrogate] = RawCreate(api => api.Valid(b => b["username"] = "PLACEHOLDER").ToJsonString()
            .Replace("PLACEHOLDER", "ab\\ud800", StringComparison.Ordinal), a => a.Status >= 500),
        [ParserFaults.PythonRecursion] = RawCreate(api => Inserted(api, "\"x\": " + new string('[', 1000) + new string(']', 1000) + ","), a => a.Status >= 500),

        // text-decoding
        [DecodingFaults.Strip] = EchoOf(api => With(api, "send_as", "Front Desk\u00a0")),
        [DecodingFaults.Nfkc] = EchoOf(api => With(api, "username", "ｆｒｏｎｔ" + Guid.NewGuid().ToString("N")[..6])),
        [DecodingFaults.HtmlEscape] = EchoOf(api => With(api, "send_as", "Tom & Jerry's")),
        [DecodingFaults.PercentDecode] = EchoOf(api => With(api, "send_as", "100%25 sure")),
        [DecodingFaults.FormDecode] = EchoOf(api => With(api, "send_as", "Sales+Support")),
        [DecodingFaults.XmlNewlines] = EchoOf(api => With(api, "send_as", "line one\r\nline two")),

        // storage
        [StorageFaults.MySqlUtf8mb3] = EchoOf(api => With(api, "send_as", "Front Desk \U0001F600 24/7")),
        [StorageFaults.CStringNul] = EchoOf(api => With(api, "send_as", "Front\u0000Desk")),
        [StorageFaults.JsonbNul] = new(async api =>
        {
            (await api.Create(With(api, "send_as", "Front\u0000Desk"))).Status.Should200();
            return (await api.List()).Status >= 500;
        }),
        [StorageFaults.MassAssignProject] = new(async api =>
            (await api.Create(With(api, ResponseFields.ProjectId, api.Q.ProjectId))).Str(ResponseFields.ProjectId) != api.P.ProjectId),

        // concurrency: the same requests, at the same moment (a few tries: a busy machine may spread one try)
        [ConcurrencyFaults.DuplicateRace] = new(api => BlindFaultTests.FiresWithin(async () =>
        {
            var body = api.Valid();
            return (await Task.WhenAll(api.Create(body), api.Create(body))).Any(a => a.Status >= 500);
        })),
        [ConcurrencyFaults.UnsafeStore] = new(api => BlindFaultTests.FiresWithin(async () =>
            (await Task.WhenAll(api.Create(api.Valid()), api.Create(api.Valid()))).Any(a => a.Status >= 500))),
        [ConcurrencyFaults.ReadDuringWrite] = new(api => BlindFaultTests.FiresWithin(async () =>
        {
            var id = (await api.Create(api.Valid())).Str("id")!;
            return (await Task.WhenAll(api.Get(id), api.Create(api.Valid())))[0].Status != 200;
        })),
        [ConcurrencyFaults.StaleListCache] = new(api => BlindFaultTests.FiresWithin(async () =>
        {
            var id = (await api.Create(api.Valid())).Str("id")!;
            var list = api.List();
            await Task.Delay(10);
            await Task.WhenAll(list, api.Delete(id));
            return (await CorrectServerTests.ListedIds(api)).Contains(id);
        })),
        [ConcurrencyFaults.SharedUnitOfWork] = new(api => BlindFaultTests.FiresWithin(async () =>
        {
            var before = api.Server.EndpointCount(api.P.ProjectId);
            var refused = api.Create(api.Valid(b => b["ciphers"] = new JsonArray("ROT13")));
            await Task.Delay(10);
            await Task.WhenAll(refused, api.Create(api.Valid()));
            return api.Server.EndpointCount(api.P.ProjectId) != before + 1;
        })),
    };
}

internal static class StatusExtensions
{
    /// <summary>Throws unless the status is 200 (a probe's set-up step).</summary>
    public static void Should200(this int status)
    {
        if (status != 200) throw new InvalidOperationException($"expected 200, got {status}");
    }
}
