using FluentAssertions;
using NUnit.Framework;
using SipConformance.Rules;
using SipConformance.Rules.Observations;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Reporting;
using SipConformance.Configuration;
using SipConformance.Target;
using SipConformance.Tests.Rules;

namespace SipConformance.Tests.Reporting;

/// <summary>The findings document of a run: made from the run's typed data, never from text a report wrote.</summary>
public class RunDocumentTests
{
    [Test]
    public void The_schema_probe_reads_the_failing_200_bodies_from_the_typed_exchanges_and_asks_the_later_revision()
    {
        var payload = Exchanges.Payload();
        var expect = Success.Status;
        var flat = Exchanges.Judge(Exchanges.Case(payload, expect), Exchanges.Response(200, ReportSamples.LaterRevisionBody(payload).ToJsonString()));
        var ours = Exchanges.Answer(payload);
        ours.Remove(ResponseFields.DisplayName);
        var broken = Exchanges.Judge(Exchanges.Case(payload, expect), Exchanges.Response(200, ours.ToJsonString()));

        var probeFlat = RunDocument.SchemaRevisionProbe(SipContract.Default, flat[Success.Schema], RevisionResponseSchema.Later);
        var probeBroken = RunDocument.SchemaRevisionProbe(SipContract.Default, broken[Success.Schema], RevisionResponseSchema.Later);

        probeFlat.Failed.Should().Be(1);
        probeFlat.Examined.Should().Be(1);
        probeFlat.ValidUnderRevision.Should().Be(1);
        probeBroken.Examined.Should().Be(1);
        probeBroken.ValidUnderRevision.Should().Be(0, "a body missing display_name is no answer of the later revision either");
    }

    [Test]
    public void An_exchange_is_kept_as_data_status_headers_body_and_curl_line()
    {
        var e = Exchanges.Response(200, "{\n  \"a\": 1\n}", "application/json", ("Location", "/x"));

        var r = ExchangeRecord.Of(e);

        r.Status.Should().Be(200);
        r.Header("location").Should().Be("/x");
        r.ResponseBody.Should().Be("{\n  \"a\": 1\n}");
        r.ResponseBodyWhole.Should().BeTrue();
        r.Curl.Should().StartWith("curl -sS -i -X POST").And.EndWith("SIPCONF_BODY").And.Contain("\n{}\n");
        var text = new System.Text.StringBuilder();
        r.AppendText(text);
        text.ToString().Should().Contain("<- 200 after").And.Contain("   Location: /x").And.Contain("{\\n  \"a\": 1\\n}");
    }

    [Test]
    public void A_long_body_is_kept_cut_and_said_to_be_cut()
    {
        var body = "\"" + new string('x', ExchangeRecord.KeptBodyChars + 10) + "\"";
        var r = ExchangeRecord.Of(Exchanges.Response(200, body));

        r.ResponseBody!.Length.Should().Be(ExchangeRecord.KeptBodyChars);
        r.ResponseBodyBytes.Should().Be(body.Length);
        r.ResponseBodyWhole.Should().BeFalse();
    }

    [Test]
    public void A_property_failure_s_shrunk_payload_seed_and_replay_come_from_the_shrink_itself()
    {
        var shrink = new PropertyShrink("7uybxOQ7_8dj", "abc", "{\"username\":\"sipconf_x_a\",\"send_as\":\"Zoë; }\"}",
            "CsCheck_Seed=7uybxOQ7_8dj dotnet test tests/SipConformance.Conformance --filter \"Name~CREATE-PROP-001\"", "{\"username\":\"sipconf_x_a\",\"send_as\":\"Zoe\"}");

        var f = shrink.Failure()!;

        f.FailingPayload["send_as"]!.GetValue<string>().Should().Be("Zoë; }");
        f.NearestPassingPayload!["send_as"]!.GetValue<string>().Should().Be("Zoe");
        f.CscheckSeed.Should().Be("7uybxOQ7_8dj");
        f.Replay.Should().StartWith("CsCheck_Seed=7uybxOQ7_8dj").And.EndWith("\"Name~CREATE-PROP-001\"");
        (shrink with { Payload = "(raw body)" }).Failure().Should().BeNull("a raw body is no payload to show field by field");
    }

    [Test]
    public void A_violation_is_redacted_in_every_field_it_holds()
    {
        var secret = new Redactor([new Secret("s3cretTok3n")]);
        var v = new Violation("case s3cretTok3n", "message s3cretTok3n")
        {
            Exchanges = [ExchangeRecord.Of(Exchanges.Response(200, "{\"echo\":\"s3cretTok3n\"}"))],
            Text = "text s3cretTok3n",
            Property = new PropertyFailure(new System.Text.Json.Nodes.JsonObject { ["send_as"] = "s3cretTok3n" }, "seed", "replay s3cretTok3n"),
        };

        var json = System.Text.Json.JsonSerializer.Serialize(v.Redacted(secret));

        json.Should().NotContain("s3cretTok3n").And.Contain(Secret.Mask);
    }
}
