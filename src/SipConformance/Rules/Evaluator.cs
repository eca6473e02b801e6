using SipConformance.Cases;
using SipConformance.Contract;
using SipConformance.Findings;
using SipConformance.Rules.Observations;
using SipConformance.Target;

namespace SipConformance.Rules;

/// <summary>
/// Hands observations to the rules and records their verdicts into a <see cref="RunFindings"/>:
/// for each exchange, the rules every answer is held to; for a complete answer, every rule of the
/// rule book, each of which judges what it applies to. It judges nothing itself and never talks HTTP.
/// </summary>
public sealed class Evaluator(SipContract contract, RunFindings findings, Redactor redactor)
{
    private readonly IReadOnlyList<Rule> _rules = RuleBook.For(contract.Revision);

    public RunFindings Findings => findings;
    public Redactor Redactor => redactor;

    /// <summary>Judges a create (and its read-back); returns the rules its answers broke.</summary>
    /// <summary>A read of a created endpoint other than the create's own read-back (its id in another form the grammar allows).</summary>
    public void ReadBack(CreateCase c, System.Text.Json.JsonElement created, Exchange read, string caseName)
    {
        var seen = new ReadBackSeen(c, created, read, caseName);
        if (Answer(read, caseName)) Dispatch(seen);
    }

    public IReadOnlyList<Rule> Create(CreateCase c, Exchange create, Exchange? readBack)
    {
        var broken = new List<Rule>();
        // The case's name is made once (every observation of the create and its answers carries it).
        var name = c.Describe();
        if (!Answer(create, name, broken)) return broken;
        var seen = new CreateSeen(c, create, readBack, name);
        broken.AddRange(Dispatch(seen));
        if (readBack is not null && seen.SuccessBody is { } created)
        {
            var read = new ReadBackSeen(c, created, readBack, ReadBackSeen.NameOf(name));
            if (Answer(readBack, read.CaseName, broken)) broken.AddRange(Dispatch(read));
        }
        return broken;
    }

    /// <summary>The rules every answer is held to; true when the answer is complete (and not a 429), so the other rules apply.</summary>
    public bool Answer(Exchange e, string caseName, List<Rule>? broken = null)
    {
        var rules = Dispatch(new AnswerSeen(e, caseName));
        broken?.AddRange(rules);
        return JsonText.Answered(e);
    }

    public void Delete(Exchange e, string caseName)
    {
        if (Answer(e, caseName)) Dispatch(new DeleteSeen(e, caseName));
    }

    /// <summary>A project's list, as <paramref name="project"/> read it; <paramref name="foreign"/>: ids other projects hold.</summary>
    public void List(ListResult list, string caseName, TargetProject? project = null, IReadOnlyCollection<string>? foreign = null)
    {
        foreach (var page in list.Pages)
            if (!Answer(page, caseName)) break;
        Dispatch(new ListSeen(list, caseName, project, foreign));
    }

    /// <summary>
    /// After rejected creates: the project's list (its pages judged too, unless <paramref name="judgeList"/> is false:
    /// a shard other than the first judges only its own rejections, the list read itself is the first shard's), for <paramref name="rule"/>.
    /// </summary>
    public void Rejections(Rule rule, IReadOnlyList<(CreateCase Case, Exchange Exchange)> rejected, ListResult list, string caseName, TargetProject project, bool judgeList = true)
    {
        if (judgeList) List(list, caseName, project);
        Dispatch(new RejectionsSeen(rule, rejected, list, caseName));
    }

    public void Isolation(string id, Exchange read, Exchange delete, Exchange after)
    {
        var seen = new IsolationSeen(id, read, delete, after);
        Answer(read, seen.CaseName);
        Answer(delete, seen.CaseName);
        Answer(after, seen.CaseName + " (afterwards, by its own project)");
        Dispatch(seen);
    }

    public void Property(PropertySeen seen) => Dispatch(seen);

    /// <summary>An endpoint deleted, then read, listed and deleted again.</summary>
    public void Lifecycle(LifecycleSeen seen)
    {
        Answer(seen.Delete, seen.CaseName);
        Answer(seen.Read, seen.CaseName);
        Answer(seen.DeleteAgain, seen.CaseName);
        List(seen.List, seen.CaseName, seen.Project);
        Dispatch(seen);
    }

    public void UnknownId(UnknownIdSeen seen)
    {
        Answer(seen.Get, seen.CaseName);
        Answer(seen.Delete, seen.CaseName);
        Dispatch(seen);
    }

    /// <summary>Every rule judges the observation; returns the ones that broke.</summary>
    public IReadOnlyList<Rule> Dispatch(Observation observation)
    {
        observation.Contract = contract;
        var verdicts = new Verdicts(findings, observation);
        var rules = _rules;
        for (var i = 0; i < rules.Count; i++)
        {
            verdicts.Rule = rules[i];
            rules[i].Judge(observation, verdicts);
        }
        return verdicts.Broken;
    }
}
