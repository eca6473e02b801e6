using System.Text.Json;
using System.Text.Json.Nodes;

namespace SipConformance.Target;

/// <summary>One endpoint a run created and has not (yet) deleted.</summary>
public sealed record JournalEntry(string BaseUrl, string ProjectLabel, string ProjectId, string Id, DateTimeOffset CreatedAt);

/// <summary>
/// An append-only file of what a run created, written the moment a create answers (one JSON
/// line per event, flushed at once), so that a crashed run's leftovers can be found and deleted
/// by `sipconf cleanup`. It holds ids and project ids, never a credential.
/// </summary>
public sealed class CleanupJournal : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly Dictionary<string, JournalEntry> _open = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _baseUrl;

    public CleanupJournal(string path, Uri baseUrl)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _baseUrl = baseUrl.ToString();
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = false };
    }

    public string Path { get; }

    public void Created(TargetProject project, string id)
    {
        var entry = new JournalEntry(_baseUrl, project.Label, project.ProjectId, id, DateTimeOffset.UtcNow);
        lock (_gate)
        {
            _open[id] = entry;
            Write(new JsonObject { ["op"] = "created", ["base_url"] = _baseUrl, ["project"] = project.Label, ["project_id"] = project.ProjectId, ["id"] = id, ["at"] = entry.CreatedAt.ToString("O") });
        }
    }

    public void Deleted(TargetProject project, string id)
    {
        lock (_gate)
        {
            _open.Remove(id);
            Write(new JsonObject { ["op"] = "deleted", ["base_url"] = _baseUrl, ["project"] = project.Label, ["project_id"] = project.ProjectId, ["id"] = id, ["at"] = DateTimeOffset.UtcNow.ToString("O") });
        }
    }

    /// <summary>What this run created and has not deleted.</summary>
    public IReadOnlyList<JournalEntry> Open()
    {
        lock (_gate) return _open.Values.ToList();
    }

    private void Write(JsonObject line)
    {
        _writer.WriteLine(line.ToJsonString());
        _writer.Flush();
    }

    /// <summary>Reads a journal file: the entries created and not deleted.</summary>
    public static IReadOnlyList<JournalEntry> ReadOpen(string path)
    {
        var open = new Dictionary<string, JournalEntry>(StringComparer.OrdinalIgnoreCase);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { continue; } // a line cut short by a crash
            var id = e.GetProperty("id").GetString()!;
            if (e.GetProperty("op").GetString() == "created")
                open[id] = new JournalEntry(e.GetProperty("base_url").GetString()!, e.GetProperty("project").GetString()!,
                    e.GetProperty("project_id").GetString()!, id, DateTimeOffset.Parse(e.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            else
                open.Remove(id);
        }
        return open.Values.ToList();
    }

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}
