using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SipConformance.Target;

/// <summary>One endpoint a run created and has not (yet) deleted (the username when the create's answer named one).</summary>
public sealed record JournalEntry(string BaseUrl, string ProjectLabel, string ProjectId, string Id, DateTimeOffset CreatedAt, string? Username = null);

/// <summary>
/// An append-only file of what a run created, written the moment a create answers (one JSON
/// line per event, flushed at once), so that a crashed run's leftovers can be found and deleted
/// by `sipconf cleanup`. It holds ids and project ids, never a credential.
/// </summary>
public sealed class CleanupJournal : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    // One line is built at a time (under the gate), into a reused buffer.
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;
    private static readonly byte[] NewLine = System.Text.Encoding.UTF8.GetBytes(Environment.NewLine);
    private readonly Dictionary<string, JournalEntry> _open = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _baseUrl;

    public CleanupJournal(string path, Uri baseUrl)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _baseUrl = baseUrl.ToString();
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _json = new Utf8JsonWriter(_line);
    }

    /// <summary>The folder a run's journals go to: {artifacts}/journal.</summary>
    public const string Folder = "journal";

    public string Path { get; }

    /// <summary>Every journal file under an artifacts folder ({artifacts}/journal/*.jsonl), oldest first.</summary>
    public static IReadOnlyList<string> Find(string artifactsDirectory)
    {
        var dir = System.IO.Path.Combine(artifactsDirectory, Folder);
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
    }

    /// <summary>
    /// True while a journal is open for writing by a live run (in this process or another): the
    /// writer holds a shared lock on the file, which a crashed process no longer does. Cleanup leaves
    /// such a journal alone, so it never deletes from under a run that is still going.
    /// </summary>
    public static bool InUse(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return false; }
    }

    public void Created(TargetProject project, string id, string? username = null)
    {
        var entry = new JournalEntry(_baseUrl, project.Label, project.ProjectId, id, DateTimeOffset.UtcNow, username);
        lock (_gate)
        {
            _open[id] = entry;
            Write("created", project, id, entry.CreatedAt, username);
        }
    }

    public void Deleted(TargetProject project, string id)
    {
        lock (_gate)
        {
            _open.Remove(id);
            Write("deleted", project, id, DateTimeOffset.UtcNow, null);
        }
    }

    /// <summary>What this run created and has not deleted.</summary>
    public IReadOnlyList<JournalEntry> Open()
    {
        lock (_gate) return _open.Values.ToList();
    }

    /// <summary>One JSON line, flushed at once: {"op", "base_url", "project", "project_id", "id", "at"[, "username"]}.</summary>
    private void Write(string op, TargetProject project, string id, DateTimeOffset at, string? username)
    {
        _line.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("op", op);
        _json.WriteString("base_url", _baseUrl);
        _json.WriteString("project", project.Label);
        _json.WriteString("project_id", project.ProjectId);
        _json.WriteString("id", id);
        Span<char> text = stackalloc char[40];
        _json.WriteString("at", at.TryFormat(text, out var written, "O", CultureInfo.InvariantCulture) ? text[..written] : at.ToString("O", CultureInfo.InvariantCulture));
        if (username is not null) _json.WriteString("username", username);
        _json.WriteEndObject();
        _json.Flush();
        _file.Write(_line.WrittenSpan);
        _file.Write(NewLine);
        _file.Flush();
    }

    /// <summary>
    /// Reads a journal file: the entries created and not deleted. Lines that are not whole (a
    /// crash in the middle of a write) or not the journal's shape are passed over.
    /// </summary>
    public static IReadOnlyList<JournalEntry> ReadOpen(string path)
    {
        var open = new Dictionary<string, JournalEntry>(StringComparer.OrdinalIgnoreCase);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { continue; }
            if (e.ValueKind != JsonValueKind.Object || Text(e, "id") is not { } id) continue;
            switch (Text(e, "op"))
            {
                case "created" when Text(e, "base_url") is { } baseUrl && Text(e, "project_id") is { } projectId:
                    var at = DateTimeOffset.TryParse(Text(e, "at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
                    open[id] = new JournalEntry(baseUrl, Text(e, "project") ?? "primary", projectId, id, at, Text(e, "username"));
                    break;
                case "deleted":
                    open.Remove(id);
                    break;
            }
        }
        return open.Values.ToList();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose()
    {
        lock (_gate)
        {
            _json.Dispose();
            _file.Dispose();
        }
    }
}
