using SipConformance.Findings;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Reporting;
using SipConformance.Reporting.Html;
using SipConformance.Running;
using YamlDotNet.RepresentationModel;

namespace SipConformance.Tests.Ci;

/// <summary>docs/ci/github-actions.yml, the workflow a server team copies: it runs what the README says, and publishes what the run writes.</summary>
public partial class GitHubActionsExampleTests
{
    private static string Root => RepositoryPaths.Root ?? throw new InvalidOperationException("no repository root (SipConformance.sln)");

    private static string WorkflowPath => Path.Combine(Root, "docs", "ci", "github-actions.yml");

    /// <summary>The workflow as it was before issue 23 (four publications under one check name, always(), Node 20 majors, no cache): the checks below must reject it.</summary>
    private static string OldWorkflowPath => Path.Combine(Root, "tests", "SipConformance.Tests", "Ci", "Fixtures", "github-actions-before-issue-23.yml");

    private static YamlMappingNode Workflow() => Load(WorkflowPath);

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static IReadOnlyList<YamlMappingNode> Steps() => Steps(Workflow());

    private static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode workflow) =>
        Jobs(workflow).SelectMany(job => JobSteps(job.Value)).ToList();

    private static IEnumerable<KeyValuePair<string, YamlMappingNode>> Jobs(YamlMappingNode workflow) =>
        ((YamlMappingNode)workflow["jobs"]).Children.Where(j => j.Value is YamlMappingNode)
            .Select(j => KeyValuePair.Create(((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value));

    private static List<YamlMappingNode> JobSteps(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().ToList();

    private static string Uses(YamlMappingNode step) => Scalar(step, "uses") ?? "";

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode at = node;
        foreach (var key in path)
            if (at is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(key), out at!)) return null;
        return (at as YamlScalarNode)?.Value;
    }

    /// <summary>The README's commands: the shell lines of its "The two commands" block.</summary>
    private static IReadOnlyList<string> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## The two commands", StringComparison.Ordinal)..];
        var block = FencedShell().Match(section).Groups[1].Value;
        return block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }

    [Test]
    public void It_runs_the_suite_with_the_README_s_command_after_checkout_dotnet_10_and_the_server()
    {
        var steps = Steps();
        var suiteCommand = ReadmeCommands().First(c => c.Contains("tests/SipConformance.Conformance", StringComparison.Ordinal));
        suiteCommand.Should().Be(FindingsDocument.SuiteCommand, "the report's replay lines use the same command");

        var uses = steps.Select(s => Scalar(s, "uses") ?? "").ToList();
        var checkout = uses.FindIndex(u => u.StartsWith("actions/checkout@", StringComparison.Ordinal));
        var dotnet = steps.ToList().FindIndex(s => (Scalar(s, "uses") ?? "").StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        var server = steps.ToList().FindIndex(s => (Scalar(s, "run") ?? "").Contains("dotnet run --project fixtures/SipConformance.ReferenceServer -- --port 8080", StringComparison.Ordinal));
        var suite = steps.ToList().FindIndex(s => (Scalar(s, "run") ?? "").Contains(suiteCommand, StringComparison.Ordinal));

        new[] { checkout, dotnet, server, suite }.Should().OnlyContain(i => i >= 0).And.BeInAscendingOrder();
        Scalar(steps[dotnet], "with", "dotnet-version").Should().StartWith("10.");
        File.ReadAllText(Path.Combine(Root, "README.md")).Should().Contain("dotnet run --project fixtures/SipConformance.ReferenceServer -- --port 8080", "it starts the server as the README does");
    }

    [Test]
    public void The_suite_s_credentials_come_from_secrets()
    {
        var suite = Steps().Single(s => (Scalar(s, "run") ?? "").Contains("dotnet test tests/SipConformance.Conformance", StringComparison.Ordinal));
        var env = ((YamlMappingNode)suite["env"]).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);

        foreach (var name in new[] { SettingsLoader.BaseUrl, SettingsLoader.ProjectId, SettingsLoader.ApiToken,
                     SettingsLoader.ResourceId, SettingsLoader.SecondProjectId, SettingsLoader.SecondApiToken })
            env.Should().ContainKey(name).WhoseValue.Should().Contain($"secrets.{name}");
    }

    [Test]
    public void It_publishes_the_merged_JUnit_file_once_and_uploads_the_artifacts_even_when_the_suite_fails()
    {
        var steps = Steps();
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        const string junit = "artifacts/sipconformance-junit.xml";
        readme.Should().Contain(Path.GetFileName(junit)).And.Contain("`artifacts/`");

        var publish = steps.Where(s => Uses(s).StartsWith(PublisherAction + "@", StringComparison.Ordinal)).ToList();
        var upload = steps.Where(s => Uses(s).StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).ToList();

        publish.Should().ContainSingle("the merged results, once");
        JobSteps(Job("merge")).Should().ContainSingle(s => Uses(s).StartsWith(PublisherAction + "@", StringComparison.Ordinal), "the merge job publishes them");
        Scalar(publish[0], "with", "files").Should().Be(junit);
        Scalar(publish[0], "with", "check_name").Should().NotBeNullOrWhiteSpace("a check of its own name, not the action's default");
        upload.Should().HaveCount(2, "each shard's and the merged reports");
        publish.Concat(upload).Should().OnlyContain(s => RunsUnlessCancelled(Scalar(s, "if")));
        upload.Should().OnlyContain(s => Scalar(s, "with", "path") == "artifacts/");
        File.ReadAllText(WorkflowPath).Should().Contain(HtmlReport.FileName, "it tells where the HTML report is");
    }

    private const string PublisherAction = "EnricoMi/publish-unit-test-result-action";
    private const string PublisherDefaultCheckName = "Test Results";

    /// <summary>
    /// The current major of each action the workflow uses (searched 2026-12-05: actions/checkout v7,
    /// setup-dotnet v6, setup-node v7, cache v6, upload-artifact v7, download-artifact v8 run on
    /// Node.js 24; EnricoMi/publish-unit-test-result-action is still v2).
    /// </summary>
    private static readonly Dictionary<string, int> CurrentMajors = new()
    {
        ["actions/checkout"] = 7, ["actions/setup-dotnet"] = 6, ["actions/setup-node"] = 7, ["actions/cache"] = 6,
        ["actions/upload-artifact"] = 7, ["actions/download-artifact"] = 8, [PublisherAction] = 2,
    };

    private static bool RunsUnlessCancelled(string? condition) =>
        condition is not null && condition.Replace(" ", "", StringComparison.Ordinal) is "!cancelled()" or "${{!cancelled()}}";

    /// <summary>How many jobs a job's matrix makes (1 without one).</summary>
    private static int MatrixSize(YamlMappingNode job) =>
        job.Children.TryGetValue(new YamlScalarNode("strategy"), out var strategy) && strategy is YamlMappingNode s
            && s.Children.TryGetValue(new YamlScalarNode("matrix"), out var matrix) && matrix is YamlMappingNode m
            ? m.Children.Values.OfType<YamlSequenceNode>().Aggregate(1, (n, axis) => n * axis.Children.Count)
            : 1;

    /// <summary>What is wrong with a workflow as a CI gate (issue 23), one line each; empty when nothing is.</summary>
    internal static IReadOnlyList<string> Problems(YamlMappingNode workflow)
    {
        var problems = new List<string>();

        // Publications: each run of the publisher (a step times its job's matrix) under its check name;
        // two under one name overwrite each other.
        var publications = Jobs(workflow).SelectMany(job => JobSteps(job.Value)
                .Where(s => Uses(s).StartsWith(PublisherAction + "@", StringComparison.Ordinal))
                .SelectMany(s =>
                {
                    var name = Scalar(s, "with", "check_name") ?? PublisherDefaultCheckName;
                    var copies = MatrixSize(job.Value);
                    // A name that varies with the matrix is one name per matrix job.
                    return Enumerable.Range(1, copies).Select(i => name.Contains("${{ matrix.", StringComparison.Ordinal) ? $"{name} #{i}" : name);
                }))
            .ToList();
        foreach (var shared in publications.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add($"{shared.Count()} publications under the one check name '{shared.Key}' overwrite each other");

        foreach (var (name, job) in Jobs(workflow))
        {
            if (Scalar(job, "if") is { } jobIf && jobIf.Contains("always()", StringComparison.Ordinal))
                problems.Add($"job {name} runs with always() (also after a cancel): use !cancelled()");
            foreach (var step in JobSteps(job))
            {
                if (Scalar(step, "if") is { } stepIf && stepIf.Contains("always()", StringComparison.Ordinal))
                    problems.Add($"step '{Scalar(step, "name")}' of {name} runs with always(): use !cancelled()");
                var uses = Uses(step);
                var at = uses.IndexOf('@', StringComparison.Ordinal);
                if (at < 0) continue;
                var action = uses[..at];
                if (CurrentMajors.TryGetValue(action, out var major) && uses[(at + 1)..] != $"v{major}")
                    problems.Add($"{uses} is not the current major v{major}");
            }
        }

        // The engine: cached where the suite builds it, not fetched where nothing needs it.
        foreach (var (name, job) in Jobs(workflow))
        {
            var steps = JobSteps(job);
            var runsSuite = steps.Any(s => (Scalar(s, "run") ?? "").Contains("dotnet test tests/SipConformance.Conformance", StringComparison.Ordinal));
            var skipsEngine = Scalar(job, "env", "SipConfSkipPactEngine") == "true";
            var cachesEngine = steps.Any(s => Uses(s).StartsWith("actions/cache@", StringComparison.Ordinal) && Scalar(s, "with", "path") == ".pact");
            var setsUpNode = steps.Any(s => Uses(s).StartsWith("actions/setup-node@", StringComparison.Ordinal));
            if (runsSuite && !cachesEngine) problems.Add($"job {name} fetches the Pact engine again: cache .pact");
            if (!runsSuite && !skipsEngine) problems.Add($"job {name} needs no Pact engine but would build it: set SipConfSkipPactEngine=true");
            if (!runsSuite && setsUpNode) problems.Add($"job {name} sets up Node.js (for the engine) without needing the engine");
        }
        return problems;
    }

    [Test]
    public void The_workflow_publishes_once_caches_the_engine_uses_current_majors_and_stops_on_cancel() =>
        Problems(Workflow()).Should().BeEmpty();

    [Test]
    public void The_checks_reject_the_workflow_before_issue_23()
    {
        var problems = Problems(Load(OldWorkflowPath));
        TestContext.Out.WriteLine(string.Join("\n", problems));

        problems.Should().Contain("4 publications under the one check name 'Test Results' overwrite each other", "3 shards and the merge job published under the default name");
        problems.Should().Contain(p => p.Contains("always()", StringComparison.Ordinal) && p.StartsWith("job merge", StringComparison.Ordinal));
        problems.Should().Contain("actions/checkout@v4 is not the current major v7");
        problems.Should().Contain("job conformance fetches the Pact engine again: cache .pact");
        problems.Should().Contain("job merge needs no Pact engine but would build it: set SipConfSkipPactEngine=true");
    }

    private static YamlMappingNode Job(string name) => (YamlMappingNode)((YamlMappingNode)Workflow()["jobs"])[name];

    [Test]
    public void The_suite_runs_as_a_matrix_of_3_shards_of_one_seed_and_a_merge_job_merges_them()
    {
        var conformance = Job("conformance");
        var engineCache = JobSteps(conformance).FindIndex(s => Uses(s).StartsWith("actions/cache@", StringComparison.Ordinal));
        var suiteStep = JobSteps(conformance).FindIndex(s => (Scalar(s, "run") ?? "").Contains("dotnet test tests/SipConformance.Conformance", StringComparison.Ordinal));
        engineCache.Should().BeInRange(0, suiteStep - 1, "the engine is restored before the build needs it");
        Scalar(JobSteps(conformance)[engineCache], "with", "key").Should().Contain("hashFiles(").And.Contain("InstallPactEngine.cs", "a new engine version is a new key");
        var shards = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)conformance["strategy"])["matrix"])["shard"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        shards.Should().Equal("1", "2", "3");
        Scalar(conformance, "env", SettingsLoader.Shard).Should().Be("${{ matrix.shard }}/3");
        Scalar(conformance, "env", SettingsLoader.Seed).Should().NotBeNullOrEmpty("the merge refuses shards of different seeds");
        Scalar(conformance, "strategy", "fail-fast").Should().Be("false", "a failing shard must not cancel the others");
        var shardUpload = ((YamlSequenceNode)conformance["steps"]).Children.Cast<YamlMappingNode>().Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        Scalar(shardUpload, "with", "name").Should().Be("sipconformance-shard-${{ matrix.shard }}");

        var merge = Job("merge");
        Scalar(merge, "needs").Should().Be("conformance");
        RunsUnlessCancelled(Scalar(merge, "if")).Should().BeTrue("a FAIL in a shard is still merged and reported, a cancel is not");
        var steps = ((YamlSequenceNode)merge["steps"]).Children.Cast<YamlMappingNode>().ToList();
        var download = steps.FindIndex(s => (Scalar(s, "uses") ?? "").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        var run = steps.FindIndex(s => (Scalar(s, "run") ?? "").StartsWith("dotnet run --project src/SipConformance.Cli -- merge ", StringComparison.Ordinal));
        new[] { download, run }.Should().OnlyContain(i => i >= 0).And.BeInAscendingOrder();
        Scalar(steps[download], "with", "pattern").Should().Be("sipconformance-shard-*");
        var dirs = Scalar(steps[run], "run")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "merge").Skip(1).ToList();
        dirs.Should().Equal(shards.Select(i => $"{Scalar(steps[download], "with", "path")}sipconformance-shard-{i}"), "every shard's directory is merged");
        Scalar(steps[run], "env", SettingsLoader.Artifacts).Should().Be("artifacts");
    }

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedShell();
}
