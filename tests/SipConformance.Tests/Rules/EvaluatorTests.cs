using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cases;
using SipConformance.Rules;
using SipConformance.Findings;
using SipConformance.Target;
using static SipConformance.Tests.Rules.Exchanges;

namespace SipConformance.Tests.Rules;

/// <summary>The checks against hand-made exchanges: a correct answer holds every rule; each broken rule is named by its check.</summary>
public class EvaluatorTests
{
    private static RunFindings JudgeAnswer(JsonObject answer, JsonObject? payload = null, JsonObject? readBack = null)
    {
        payload ??= Payload();
        var c = Case(payload, Success.Status);
        return Judge(c, Response(200, answer.ToJsonString()), readBack is null ? null : Response(200, readBack.ToJsonString()));
    }

    [Test]
    public void A_correct_answer_and_read_back_hold_every_rule()
    {
        var answer = Answer(Payload());
        var read = (JsonObject)answer.DeepClone();
        var coarser = read["created_at"]!.GetValue<string>()[..19] + "+00:00"; // coarser precision, another offset
        read["created_at"] = coarser;
        read["updated_at"] = coarser;
        var findings = JudgeAnswer(answer, readBack: read);
        findings.Broken().Should().BeEmpty();
        findings[ReadBack.SameData].Outcome.Should().Be(Outcome.Pass);
        findings[Echo.ResourceId].Outcome.Should().Be(Outcome.Pass, "UUIDs compare case-insensitively");
        findings[Echo.Ciphers].Outcome.Should().Be(Outcome.Pass, "list order is free");
    }

    private static IEnumerable<TestCaseData> BrokenAnswers()
    {
        TestCaseData Row(string name, Action<JsonObject> change, params string[] checks) =>
            new TestCaseData(change, checks).SetName("A 200 whose " + name + " is caught by " + string.Join(", ", checks));
        yield return Row("type is wrong", a => a["type"] = "sip_credential", "CREATE-OK-003", "CREATE-OK-004");
        yield return Row("id is no UUID", a => a["id"] = "sep_123", "CREATE-OK-003", "CREATE-OK-005");
        yield return Row("project_id is another project", a => a["project_id"] = "11111111-2222-4333-8444-555555555555", "CREATE-OK-006");
        yield return Row("updated_at precedes created_at", a => a["updated_at"] = "2000-01-01T00:00:00Z", "CREATE-OK-007");
        yield return Row("created_at is a day off", a =>
        {
            a["created_at"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
            a["updated_at"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        }, "CREATE-OK-008");
        yield return Row("created_at is not RFC 3339", a => a["created_at"] = "2024-05-06 12:20:00", "CREATE-OK-003", "CREATE-OK-007");
        yield return Row("display_name is missing", a => a.Remove("display_name"), "CREATE-OK-003", "CREATE-OK-009");
        yield return Row("display_name is empty", a => a["display_name"] = "", "CREATE-OK-010");
        yield return Row("username is lower-cased", a => a["sip_endpoint"]!["username"] = "SIPCONF_TEST_ALICE".ToLowerInvariant() + "x", "CREATE-ECHO-001");
        yield return Row("send_as is NFD", a => a["sip_endpoint"]!["send_as"] = "Zoe\u0308", "CREATE-ECHO-003");
        yield return Row("encryption differs", a => a["sip_endpoint"]!["encryption"] = "optional", "CREATE-ECHO-004");
        yield return Row("codecs lost one", a => a["sip_endpoint"]!["codecs"] = new JsonArray("PCMU"), "CREATE-ECHO-007");
        yield return Row("resource id is null for resource", a => a["sip_endpoint"]!["calling_handler_resource_id"] = null, "CREATE-ECHO-008");
    }

    [TestCaseSource(nameof(BrokenAnswers))]
    public void A_broken_answer_names_the_rule(Action<JsonObject> change, string[] checks)
    {
        var answer = Answer(Payload());
        change(answer);
        var broken = JudgeAnswer(answer).Broken().ToList();
        broken.Should().Contain(checks);
        broken.Should().OnlyContain(id => checks.Contains(id) || id == "CREATE-OK-003", "nothing else is wrong with the answer");
    }

    [Test]
    public void A_non_resource_handler_must_echo_null()
    {
        var payload = Payload("default");
        var answer = Answer(payload);
        answer["sip_endpoint"]!["calling_handler_resource_id"] = ResourceId;
        JudgeAnswer(answer, payload).Broken().Should().Contain("CREATE-ECHO-008");
    }

    [Test]
    public void A_truncated_string_reports_where_it_was_cut()
    {
        var answer = Answer(Payload());
        answer["sip_endpoint"]!["username"] = "sipconf_test_al";
        var v = JudgeAnswer(answer)[Echo.Username].Violations.Single();
        v.Message.Should().Contain("truncated: 18 -> 15");
    }

    [Test]
    public void The_read_back_must_hold_the_same_data()
    {
        var answer = Answer(Payload());
        var read = (JsonObject)answer.DeepClone();
        read["sip_endpoint"]!["caller_id"] = "+15551234560";
        var f = JudgeAnswer(answer, readBack: read);
        f.Broken().Should().Equal("CREATE-READ-001");
        f[ReadBack.SameData].Violations.Single().Message.Should().Contain("sip_endpoint.caller_id");
    }

    [Test]
    public void A_wrong_status_fails_the_case_check_and_a_5xx_fails_no_server_error()
    {
        var payload = Payload();
        var f = Judge(Case(payload, Success.Status), Response(201, Answer(payload).ToJsonString()));
        f.Broken().Should().Equal("CREATE-OK-001");
        f = Judge(Case(payload, Success.Status), Response(503, "{\"error\":\"down\"}"));
        f.Broken().Should().BeEquivalentTo(["CREATE-OK-001", "CREATE-MISC-003"]);
    }

    [Test]
    public void A_422_body_must_follow_the_schema_and_should_name_the_field()
    {
        var payload = Payload();
        payload.Remove("username");
        // A send_as beyond the baseline (Zoë) may be what a 422 names: the attribute is judged where the rest of the payload is inside it.
        var beyond = new SipConformance.Generation.Mutation("username", SipConformance.Generation.ViolationKind.Missing, "missing", (JsonObject)payload.DeepClone());
        payload["send_as"] = "zoe";
        var m = new SipConformance.Generation.Mutation("username", SipConformance.Generation.ViolationKind.Missing, "missing", payload);
        var good = """{"errors":[{"type":"validation_error","code":"missing","message":"username is required","attribute":"username","url":"https://x"}]}""";
        Judge(Case(beyond), Response(422, good.Replace("\"attribute\":\"username\",", ""))).Broken().Should().BeEmpty();
        Judge(Case(m), Response(422, good)).Broken().Should().BeEmpty();
        Judge(Case(m), Response(422, good.Replace("\"attribute\":\"username\",", ""))).Broken().Should().Equal("CREATE-VAL-008");
        Judge(Case(m), Response(422, good.Replace("\"username\",", "\"/username\","))).Broken().Should().BeEmpty("a JSON pointer names the field too");
        Judge(Case(m), Response(422, """{"error":"invalid"}""")).Broken().Should().Contain("CREATE-VAL-007");
        Judge(Case(m), Response(200, Answer(payload).ToJsonString())).Broken().Should().Equal("CREATE-VAL-001");
    }

    [Test]
    public void A_401_must_carry_the_body_and_should_carry_the_challenge()
    {
        var payload = Payload();
        var c = Case(payload, Authentication.NoHeader);
        Judge(c, Response(401, """{"error":"Unauthorized"}""", headers: ("WWW-Authenticate", "Basic realm=\"x\""))).Broken().Should().BeEmpty();
        Judge(c, Response(401, """{"error":"Unauthorized"}""")).Broken().Should().Equal("CREATE-AUTH-009");
        Judge(c, Response(401, """{"message":"Unauthorized"}""", headers: ("WWW-Authenticate", "Basic"))).Broken().Should().Equal("CREATE-AUTH-010");
        Judge(c, Response(403, """{"error":"Forbidden"}""")).Broken().Should().Equal("CREATE-AUTH-001");
    }

    [Test]
    public void Transport_problems_are_findings_not_crashes()
    {
        var payload = Payload();
        var c = Case(payload, Success.Status);
        Judge(c, Failed(FailureKind.Timeout, "no complete answer within 3 s")).Broken().Should().Equal("CREATE-HTTP-001");
        Judge(c, Response(200, [0x7b, 0xC3, 0x28, 0x7d], "application/json")).Broken().Should().Contain(["CREATE-HTTP-002", "CREATE-OK-003"]);
        Judge(c, Response(200, "<html>oops</html>", "application/json")).Broken().Should().Contain(["CREATE-HTTP-002", "CREATE-OK-003"]);
        Judge(c, Response(200, "", "application/json")).Broken().Should().Equal("CREATE-OK-003");
        var redirect = Judge(c, Response(302, "", null, ("Location", "http://127.0.0.1:1/elsewhere")));
        redirect[Success.Status].Violations.Single().Message.Should().Contain("does not follow redirects");
    }

    [Test]
    public void A_429_after_the_budget_is_rate_limiting_not_a_contract_finding()
    {
        var payload = Payload();
        var f = Judge(Case(payload, Success.Status), Response(429, "{}", headers: ("Retry-After", "1")) with { RateLimitedAttempts = 3 });
        f.Broken().Should().Equal("CREATE-HTTP-003");
        f[Http.RateLimit].Outcome.Should().Be(Outcome.NonStrict);
    }
}
