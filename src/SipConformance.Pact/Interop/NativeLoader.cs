using System.Reflection;
using System.Runtime.InteropServices;
using SipConformance.Pact.Engine;

namespace SipConformance.Pact.Interop;

/// <summary>
/// Resolves this assembly's native imports: "pact_ffi" to the libpact_ffi.so that
/// <see cref="EngineLocator"/> finds (loaded once; the resolver is asked once per imported
/// function), "libc" to glibc. Registered once, from the static constructor of every class that
/// declares imports.
/// </summary>
internal static class NativeLoader
{
    private static readonly Lock Gate = new();
    private static bool _registered;
    private static nint _pact;
    private static nint _libc;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);
            _registered = true;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        lock (Gate)
        {
            switch (name)
            {
                case PactFfi.Library:
                    if (_pact == 0)
                    {
                        // The engine reads PACT_DO_NOT_TRACK from the native environment, which
                        // Environment.SetEnvironmentVariable does not touch on Unix.
                        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PACT_DO_NOT_TRACK")))
                            Libc.SetNativeEnvironment("PACT_DO_NOT_TRACK", "true");
                        var path = EngineLocator.LibraryPath;
                        try { _pact = NativeLibrary.Load(path); }
                        catch (DllNotFoundException e)
                        {
                            throw new PactEngineException($"could not load the Pact FFI from {path}: {e.Message}", inner: e);
                        }
                    }
                    return _pact;
                case Libc.Library:
                    if (_libc == 0) _libc = NativeLibrary.Load("libc.so.6");
                    return _libc;
                default:
                    return 0;
            }
        }
    }
}

/// <summary>The two C library calls the engine's hosting needs.</summary>
internal static partial class Libc
{
    public const string Library = "libc";

    static Libc() => NativeLoader.EnsureRegistered();

    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>Sets a variable in the process's native environment (what native code reads with getenv).</summary>
    public static void SetNativeEnvironment(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        Environment.SetEnvironmentVariable(name, value);
    }
}
