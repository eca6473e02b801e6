using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Cases;
using SipConformance.Rules;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Generation;
using static SipConformance.Tests.Rules.Exchanges;

namespace SipConformance.Tests.Rules;

/// <summary>The answer table mirrors contract-decisions.md: a row per violation, the level of each rule, and what a 200 must then hold.</summary>
public class AnswerTableTests
{
    private static IReadOnlyList<Mutation> All(string? foreign = null) =>
        Mutations.All(C, (h, _) => Payload(h ?? "default"), resourceAvailable: true, "11111111-2222-4333-8444-555555555555", foreign).ToList();

    [Test]
    public void Every_field_gets_missing_wrong_type_and_every_kind_that_applies()
    {
        var all = All();
        foreach (var field in C.CreateFields)
        {
            all.Should().Contain(m => m.Field == field.Name && m.Kind == ViolationKind.Missing);
            all.Should().Contain(m => m.Field == field.Name && m.Kind == ViolationKind.WrongType);
            if (field.Kind == FieldKind.EnumArray)
                all.Should().Contain(m => m.Field == field.Name && m.Kind == ViolationKind.UnknownEnumItem)
                    .And.Contain(m => m.Field == field.Name && m.Kind == ViolationKind.Duplicates)
                    .And.Contain(m => m.Field == field.Name && m.Kind == ViolationKind.EmptyList);
            if (field.Kind == FieldKind.Uuid) all.Should().Contain(m => m.Field == field.Name && m.Kind == ViolationKind.MalformedUuid);
            if (!field.Nullable) all.Should().Contain(m => m.Field == field.Name && m.Kind == ViolationKind.Null);
        }
        all.Select(m => m.Kind).Distinct().Should().BeEquivalentTo(Enum.GetValues<ViolationKind>());
        All(foreign: "22222222-2222-4333-8444-555555555555").Should().HaveCount(all.Count + 1);
    }

    [Test]
    public void Each_violation_differs_from_a_valid_payload_in_one_field()
    {
        foreach (var m in All())
        {
            var valid = Payload(m.Field == "call_handler" || m.CallHandler == "" ? "default" : m.CallHandler);
            var differing = valid.Select(p => p.Key).Concat(m.Payload.Select(p => p.Key)).Distinct()
                .Where(k => !JsonNode.DeepEquals(valid[k], m.Payload[k]) || valid.ContainsKey(k) != m.Payload.ContainsKey(k)).ToList();
            differing.Should().Equal([m.Field], m.ToString());
        }
    }

    [TestCase("username", ViolationKind.Missing, "CREATE-VAL-001", Level.Must, new[] { 422 })]
    [TestCase("call_handler", ViolationKind.Missing, "CREATE-VAL-001", Level.Must, new[] { 422 })]
    [TestCase("id", ViolationKind.Missing, "CREATE-VAL-009", Level.Should, new[] { 422 })]
    [TestCase("send_as", ViolationKind.Missing, "CREATE-VAL-009", Level.Should, new[] { 422 })]
    [TestCase("encryption", ViolationKind.Missing, "CREATE-VAL-013", Level.Either, new[] { 200, 422 })]
    [TestCase("caller_id", ViolationKind.Null, "CREATE-VAL-003", Level.Must, new[] { 422 })]
    [TestCase("codecs", ViolationKind.WrongType, "CREATE-VAL-002", Level.Must, new[] { 422 })]
    [TestCase("encryption", ViolationKind.UnknownEnum, "CREATE-VAL-004", Level.Must, new[] { 422 })]
    [TestCase("ciphers", ViolationKind.UnknownEnumItem, "CREATE-VAL-005", Level.Must, new[] { 422 })]
    [TestCase("id", ViolationKind.MalformedUuid, "CREATE-VAL-006", Level.Must, new[] { 422 })]
    [TestCase("username", ViolationKind.EmptyString, "CREATE-VAL-010", Level.Should, new[] { 422 })]
    [TestCase("caller_id", ViolationKind.EmptyString, "CREATE-STR-003", Level.Must, new[] { 200, 422 })]
    [TestCase("codecs", ViolationKind.EmptyList, "CREATE-VAL-014", Level.Either, new[] { 200, 422 })]
    [TestCase("codecs", ViolationKind.Duplicates, "CREATE-VAL-015", Level.Either, new[] { 200, 422 })]
    [TestCase("x_sipconf_unknown_property", ViolationKind.ExtraProperty, "CREATE-VAL-012", Level.Either, new[] { 200, 422 })]
    [TestCase("calling_handler_resource_id", ViolationKind.UnknownResource, "CREATE-HANDLER-004", Level.Must, new[] { 404, 422 })]
    [TestCase("calling_handler_resource_id", ViolationKind.NonResourceWithId, "CREATE-HANDLER-005", Level.Either, new[] { 200, 422 })]
    public void The_table_gives_the_contract_s_answer(string field, ViolationKind kind, string check, Level level, int[] statuses)
    {
        var m = All().First(x => x.Field == field && x.Kind == kind);
        var rule = RuleBook.OwnerOf(m);
        rule.Id.Should().Be(check);
        rule.Level.Should().Be(level);
        Case(m.Payload, rule).Allowed.Should().BeEquivalentTo(statuses);
    }

    [Test]
    public void Resource_rules_depend_on_the_handler()
    {
        var forResource = All().Where(m => m.Field == "calling_handler_resource_id" && m.CallHandler == "resource").ToList();
        RuleBook.OwnerOf(forResource.First(m => m.Kind == ViolationKind.Missing)).Should().Be(CallHandler.ResourceIdMissing);
        RuleBook.OwnerOf(forResource.First(m => m.Kind == ViolationKind.Null)).Should().Be(CallHandler.ResourceIdNull);
        RuleBook.OwnerOf(forResource.First(m => m.Kind == ViolationKind.MalformedUuid)).Should().Be(CallHandler.ResourceIdMalformed);
        var other = All().First(m => m.Field == "calling_handler_resource_id" && m.CallHandler != "resource" && m.Kind == ViolationKind.Missing);
        RuleBook.OwnerOf(other).Should().Be(Validation.MissingMarkedRequired);
        All().Should().NotContain(m => m.Field == "calling_handler_resource_id" && m.CallHandler != "resource" && m.Kind == ViolationKind.Null,
            "null is the valid value there");
    }

    [Test]
    public void A_200_for_an_either_case_must_hold_what_the_contract_says()
    {
        var encryption = All().First(m => m.Field == "encryption" && m.Kind == ViolationKind.Missing);
        var duplicates = All().First(m => m.Field == "codecs" && m.Kind == ViolationKind.Duplicates);
        RunFindings JudgeWith(Mutation m, Action<JsonObject> change)
        {
            var answer = Answer(Payload());
            change((JsonObject)answer["sip_endpoint"]!);
            return Judge(Case(m), Response(200, answer.ToJsonString()));
        }
        JudgeWith(encryption, e => e["encryption"] = "default")[Validation.EncryptionMissing].Outcome.Should().Be(Outcome.Pass);
        JudgeWith(encryption, e => e["encryption"] = "required")[Validation.EncryptionMissing].Violations.Single().Message.Should().Contain("default");
        JudgeWith(duplicates, e => e["codecs"] = new JsonArray("PCMU", "PCMU"))[Validation.Duplicates].Violations.Single().Message.Should().Contain("set");
    }

    [Test]
    public void Every_mutation_has_exactly_one_owner_and_every_owner_a_mutation()
    {
        var owners = All("22222222-2222-4333-8444-555555555555").Select(RuleBook.OwnerOf).ToHashSet();
        owners.Should().BeEquivalentTo(RuleBook.CaseRules.Where(r => r.HasMutations), "a rule that owns mutations is given some");
    }

    [Test]
    public void Check_ids_are_unique_stable_in_form_and_quote_a_clause()
    {
        RuleBook.All.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        RuleBook.All.Should().OnlyContain(c => System.Text.RegularExpressions.Regex.IsMatch(c.Id, "^CREATE-[A-Z]+-\\d{3}$"));
        RuleBook.All.Should().OnlyContain(c => c.Clause.Length > 10 && c.Title.Length > 5);
        // Every SHOULD check quotes a SHOULD of the contract, but the suite's own rate-limit budget (HTTP-003).
        RuleBook.All.Where(c => c.Level == Level.Should && c != Http.RateLimit).Should().OnlyContain(c => c.Clause.Contains("SHOULD"));
        RuleBook.All.Should().HaveCountGreaterThan(60);
    }
}
