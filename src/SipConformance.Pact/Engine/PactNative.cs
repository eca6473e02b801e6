using System.Runtime.InteropServices;
using SipConformance.Pact.Interop;

namespace SipConformance.Pact.Engine;

/// <summary>Process-wide facts about the loaded engine, and the string/error conventions of the FFI.</summary>
public static class PactNative
{
    private static readonly Lazy<string> VersionText = new(() => Marshal.PtrToStringUTF8(PactFfi.Version()) ?? "");
    private static readonly Lazy<int> Logging = new(() => (int)PactFfi.LogToBuffer(PactFfi.LevelFilter.Warn));

    /// <summary>The FFI's version, e.g. "0.5.8". Loads the library on first use.</summary>
    public static string Version => VersionText.Value;

    /// <summary>
    /// Sends the engine's own log to its in-memory buffer, once per process, at WARN: enough for
    /// the reasons behind a failure, never the request dumps (with headers) of DEBUG.
    /// </summary>
    internal static void EnsureLogging() => _ = Logging.Value;

    /// <summary>Reads and frees a string the FFI handed over to us.</summary>
    internal static string? TakeOwned(nint text)
    {
        if (text == 0) return null;
        try { return Marshal.PtrToStringUTF8(text); }
        finally { PactFfi.StringDelete(text); }
    }

    /// <summary>Reads a string the FFI keeps (never freed here).</summary>
    internal static string? Borrow(nint text) => text == 0 ? null : Marshal.PtrToStringUTF8(text);

    /// <summary>The calling thread's last FFI error message (pactffi_get_error_message), or null.</summary>
    internal static unsafe string? LastError()
    {
        for (var size = 1024; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            int written;
            fixed (byte* p = buffer) written = PactFfi.GetErrorMessage(p, size);
            if (written == -2) continue; // too small
            if (written <= 0) return null;
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, written).TrimEnd('\0');
            return text.Length == 0 ? null : text;
        }
        return null;
    }

    /// <summary>Takes what the engine logged outside any mock server or verifier (the "global" buffer).</summary>
    internal static string GlobalLog() => TakeOwned(PactFfi.FetchLogBuffer(null))?.Trim() ?? "";

    /// <summary>A message for a failed FFI call: ours, then the FFI's last error and its log, when it left any.</summary>
    internal static string Explain(string what)
    {
        var parts = new List<string> { what };
        if (LastError() is { } error) parts.Add("FFI error: " + error);
        if (GlobalLog() is { Length: > 0 } log) parts.Add("FFI log: " + log);
        return string.Join("; ", parts);
    }
}
