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

    private static YamlMappingNode Workflow()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docs", "ci", "github-actions.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static IReadOnlyList<YamlMappingNode> Steps() =>
        ((YamlMappingNode)Workflow()["jobs"]).Children.Values.OfType<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>()).ToList();

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
    public void It_publishes_the_JUnit_file_and_uploads_the_artifacts_even_when_the_suite_fails()
    {
        var steps = Steps();
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        const string junit = "artifacts/sipconformance-junit.xml";
        readme.Should().Contain(Path.GetFileName(junit)).And.Contain("`artifacts/`");

        var publish = steps.Where(s => Scalar(s, "with", "files") == junit).ToList();
        var upload = steps.Where(s => (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal)).ToList();

        publish.Should().HaveCount(2, "each shard's and the merged results");
        upload.Should().HaveCount(2, "each shard's and the merged reports");
        publish.Concat(upload).Should().OnlyContain(s => Scalar(s, "if") == "always()");
        upload.Should().OnlyContain(s => Scalar(s, "with", "path") == "artifacts/");
        File.ReadAllText(Path.Combine(Root, "docs", "ci", "github-actions.yml")).Should().Contain(HtmlReport.FileName, "it tells where the HTML report is");
    }

    private static YamlMappingNode Job(string name) => (YamlMappingNode)((YamlMappingNode)Workflow()["jobs"])[name];

    [Test]
    public void The_suite_runs_as_a_matrix_of_3_shards_of_one_seed_and_a_merge_job_merges_them()
    {
        var conformance = Job("conformance");
        var shards = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)conformance["strategy"])["matrix"])["shard"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        shards.Should().Equal("1", "2", "3");
        Scalar(conformance, "env", SettingsLoader.Shard).Should().Be("${{ matrix.shard }}/3");
        Scalar(conformance, "env", SettingsLoader.Seed).Should().NotBeNullOrEmpty("the merge refuses shards of different seeds");
        Scalar(conformance, "strategy", "fail-fast").Should().Be("false", "a failing shard must not cancel the others");
        var shardUpload = ((YamlSequenceNode)conformance["steps"]).Children.Cast<YamlMappingNode>().Single(s => (Scalar(s, "uses") ?? "").StartsWith("actions/upload-artifact@", StringComparison.Ordinal));
        Scalar(shardUpload, "with", "name").Should().Be("sipconformance-shard-${{ matrix.shard }}");

        var merge = Job("merge");
        Scalar(merge, "needs").Should().Be("conformance");
        Scalar(merge, "if").Should().Be("always()", "a FAIL in a shard is still merged and reported");
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
