using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Target;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

public class FindingsExtrasTests
{
    [Test]
    public void The_schema_probe_reads_the_failing_200_bodies_from_the_evidence_and_asks_the_later_revision()
    {
        var payload = Exchanges.Payload();
        var expect = Success.Status;
        var flat = Exchanges.Judge(Exchanges.Case(payload, expect), Exchanges.Response(200, ReportSamples.LaterRevisionBody(payload).ToJsonString()));
        var ours = Exchanges.Answer(payload);
        ours.Remove(ResponseFields.DisplayName);
        var broken = Exchanges.Judge(Exchanges.Case(payload, expect), Exchanges.Response(200, ours.ToJsonString()));

        var probeFlat = FindingsExtras.SchemaRevisionProbe(flat[Success.Schema], RevisionResponseSchema.Later);
        var probeBroken = FindingsExtras.SchemaRevisionProbe(broken[Success.Schema], RevisionResponseSchema.Later);

        probeFlat["failed"]!.GetValue<int>().Should().Be(1);
        probeFlat["examined"]!.GetValue<int>().Should().Be(1);
        probeFlat["valid_under_revision"]!.GetValue<int>().Should().Be(1);
        probeBroken["examined"]!.GetValue<int>().Should().Be(1);
        probeBroken["valid_under_revision"]!.GetValue<int>().Should().Be(0, "a body missing display_name is no answer of the later revision either");
    }

    [Test]
    public void Bodies_and_curl_lines_are_read_back_from_what_Evidence_writes()
    {
        var e = Exchanges.Response(200, "{\n  \"a\": 1\n}", "application/json", ("Location", "/x"));
        var text = Evidence.Format(Redactor.Nothing, e);

        var bodies = ExchangeText.ResponseBodies(text, 200);
        var curls = ExchangeText.CurlLines(text);

        bodies.Should().ContainSingle();
        using (var json = ExchangeText.Json(bodies[0])) json!.RootElement.GetProperty("a").GetInt32().Should().Be(1);
        ExchangeText.ResponseBodies(text, 422).Should().BeEmpty();
        curls.Should().ContainSingle().Which.Should().StartWith("curl -sS -i -X POST").And.EndWith("SIPCONF_BODY").And.Contain("\n{}\n");
        ExchangeText.Json("{\"clipped\": ... (3000 chars in all)").Should().BeNull();
    }

    [Test]
    public void A_property_failure_s_shrunk_payload_seed_and_replay_are_read_from_its_message()
    {
        const string message = "broke CREATE-ECHO-003 for the shrunk payload {\"username\":\"sipconf_x_a\",\"send_as\":\"Zoë; }\"}; " +
                               "CsCheck seed 7uybxOQ7_8dj (first failing seed abc); replay: CsCheck_Seed=7uybxOQ7_8dj dotnet test tests/SipConformance.Conformance --filter \"Name~CREATE-PROP-001\"";

        var f = FindingsExtras.PropertyFailure(message)!;

        f["failing_payload"]!["send_as"]!.GetValue<string>().Should().Be("Zoë; }");
        f["cscheck_seed"]!.GetValue<string>().Should().Be("7uybxOQ7_8dj");
        f["replay"]!.GetValue<string>().Should().StartWith("CsCheck_Seed=7uybxOQ7_8dj").And.EndWith("\"Name~CREATE-PROP-001\"");
        FindingsExtras.PropertyFailure("answered 500").Should().BeNull();
    }
}
