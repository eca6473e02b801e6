using System.Reflection;
using System.Runtime.InteropServices;
using SipConformance.Pact.Engine;

namespace SipConformance.Pact.Interop;

/// <summary>
/// Resolves this assembly's native imports: "pact_ffi" to the Pact FFI library (loaded once; the
/// resolver is asked once per imported function), "libc" to the C library. The FFI library comes
/// from, in order: SIPCONF_PACT_ENGINE_DIR (through <see cref="EngineLocator"/>); the runtime's own
/// resolution of "pact_ffi" (the packed tool's runtimes/{rid}/native/, listed in its deps.json,
/// then the application folder); the engine <see cref="EngineLocator"/> finds (a clone's .pact).
/// Registered once, from the static constructor of every class that declares imports.
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

    /// <summary>Where the FFI library was loaded from: a path, or "runtime" for the runtime's own resolution (for messages and tests).</summary>
    public static string? PactLoadedFrom { get; private set; }

    private static nint LoadPact(Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EngineLocator.EngineDirVariable))
            && NativeLibrary.TryLoad(PactFfi.Library, assembly, searchPath, out var resolved))
        {
            PactLoadedFrom = "runtime";
            return resolved;
        }
        var path = EngineLocator.LibraryPath;
        try
        {
            var handle = NativeLibrary.Load(path);
            PactLoadedFrom = path;
            return handle;
        }
        catch (DllNotFoundException e)
        {
            throw new PactEngineException($"could not load the Pact FFI from {path}: {e.Message}", inner: e);
        }
    }

    /// <summary>The C library of this platform (glibc, musl, libSystem); only Unix needs one (see <see cref="Libc"/>).</summary>
    private static nint LoadLibc()
    {
        string[] names = OperatingSystem.IsMacOS() ? ["libSystem.B.dylib"]
            : ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, out var handle)) return handle;
        throw new DllNotFoundException("no C library found among " + string.Join(", ", names));
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
                        _pact = LoadPact(assembly, searchPath);
                    }
                    return _pact;
                case Libc.Library:
                    if (_libc == 0) _libc = LoadLibc();
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
        // On Windows the process environment is the native one (GetEnvironmentVariableW reads it).
        if (!OperatingSystem.IsWindows() && SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
        Environment.SetEnvironmentVariable(name, value);
    }
}
