using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Tests.Target;

[TestFixture]
public sealed class CleanupJournalTests
{
    private string _dir = null!;
    private static readonly TargetProject Primary = new("primary", "aaaaaaaa-0000-4000-8000-000000000001", new Secret("PTjournal-test-token"), null, SettingsLoader.ProjectId, SettingsLoader.ApiToken);

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("sipconf-journal-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_created_endpoint_is_on_disk_the_moment_it_is_recorded()
    {
        var path = Path.Combine(_dir, CleanupJournal.Folder, "run.jsonl");
        using var journal = new CleanupJournal(path, new Uri("https://staging.example.test/"));

        journal.Created(Primary, "id-1", "sipconf_m1_alice");
        journal.Created(Primary, "id-2");

        // Read while the journal is still open, as `sipconf cleanup` would after a crash.
        var open = CleanupJournal.ReadOpen(path);
        open.Select(e => (e.Id, e.Username, e.ProjectId, e.BaseUrl)).Should().BeEquivalentTo(new[]
        {
            ("id-1", (string?)"sipconf_m1_alice", Primary.ProjectId, "https://staging.example.test/"),
            ("id-2", (string?)null, Primary.ProjectId, "https://staging.example.test/"),
        });
        File.ReadAllText(path).Should().NotContain("PTjournal-test-token");
        CleanupJournal.Find(_dir).Should().Equal(path);
    }

    [Test]
    public void Deleted_entries_are_closed_and_a_line_cut_short_by_a_crash_is_passed_over()
    {
        var path = Path.Combine(_dir, CleanupJournal.Folder, "run.jsonl");
        using (var journal = new CleanupJournal(path, new Uri("https://staging.example.test/")))
        {
            journal.Created(Primary, "id-1");
            journal.Created(Primary, "id-2");
            journal.Deleted(Primary, "id-1");
            journal.Open().Select(e => e.Id).Should().Equal("id-2");
        }
        File.AppendAllText(path, "{\"op\":\"created\",\"base_url\":\"https://stag");
        File.AppendAllText(path, "\n[1,2]\n{\"op\":\"created\"}\n");

        CleanupJournal.ReadOpen(path).Select(e => e.Id).Should().Equal("id-2");
    }

    [Test]
    public void A_journal_is_in_use_while_a_run_holds_it_open_and_free_once_it_is_closed()
    {
        var path = Path.Combine(_dir, CleanupJournal.Folder, "live.jsonl");
        var journal = new CleanupJournal(path, new Uri("https://staging.example.test/"));
        journal.Created(Primary, "id-1");

        CleanupJournal.InUse(path).Should().BeTrue("a live run holds its journal");
        CleanupJournal.ReadOpen(path).Should().HaveCount(1, "it can still be read");
        journal.Dispose();
        CleanupJournal.InUse(path).Should().BeFalse("a run that ended (or crashed) holds nothing");
        CleanupJournal.InUse(Path.Combine(_dir, "missing.jsonl")).Should().BeFalse();
    }

    [Test]
    public void No_journal_folder_means_no_journal()
    {
        CleanupJournal.Find(Path.Combine(_dir, "nothing-here")).Should().BeEmpty();
    }
}
