using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SipConformance.Pact.Interop;

/// <summary>
/// Points file descriptor 1 at an unlinked temporary file while native code runs, then puts it
/// back and drops what was written. Used only around the engine's verifier, which prints its
/// report (provider answers included) straight to stdout. Process-wide: callers serialise.
/// </summary>
internal sealed partial class StdoutDiversion : IDisposable
{
    /// <summary>Tests turn it off to show what would reach stdout without it.</summary>
    internal static volatile bool Enabled = true;

    private const int StdoutFd = 1;
    private readonly int _saved;
    private readonly SafeFileHandle _sink;

    private StdoutDiversion(int saved, SafeFileHandle sink)
    {
        _saved = saved;
        _sink = sink;
    }

    static StdoutDiversion() => NativeLoader.EnsureRegistered();

    /// <summary>Starts diverting (when <see cref="Enabled"/>); returns a no-op when the diversion cannot be set up (stdout then stays as it is).</summary>
    public static IDisposable Begin() => Enabled ? TryBegin() ?? (IDisposable)NoOp.Instance : NoOp.Instance;

    /// <summary>Starts diverting, or null when it cannot.</summary>
    public static StdoutDiversion? TryBegin()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var path = Path.Combine(Path.GetTempPath(), "sipconf-verifier-" + Guid.NewGuid().ToString("N"));
        SafeFileHandle sink;
        try { sink = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var saved = Dup(StdoutFd);
        if (saved < 0)
        {
            sink.Dispose();
            return null;
        }
        if (Dup2((int)sink.DangerousGetHandle(), StdoutFd) < 0)
        {
            Close(saved);
            sink.Dispose();
            return null;
        }
        return new StdoutDiversion(saved, sink);
    }

    /// <summary>What reached file descriptor 1 so far (for tests).</summary>
    public string Captured()
    {
        var length = RandomAccess.GetLength(_sink);
        var buffer = new byte[length];
        var read = RandomAccess.Read(_sink, buffer, 0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    public void Dispose()
    {
        Dup2(_saved, StdoutFd);
        Close(_saved);
        _sink.Dispose(); // unlinked on close: the diverted text is gone
    }

    [LibraryImport(Libc.Library, EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport(Libc.Library, EntryPoint = "dup2")]
    private static partial int Dup2(int fd, int fd2);

    [LibraryImport(Libc.Library, EntryPoint = "close")]
    private static partial int Close(int fd);

    private sealed class NoOp : IDisposable
    {
        public static readonly NoOp Instance = new();
        public void Dispose() { }
    }
}
