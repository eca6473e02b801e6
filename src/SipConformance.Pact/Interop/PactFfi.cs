using System.Runtime.InteropServices;

namespace SipConformance.Pact.Interop;

/// <summary>
/// The part of libpact_ffi (Pact FFI 0.5.x, from @pact-foundation/pact-core 20.2.0) this suite
/// calls, and nothing more. Conventions, from the FFI's sources (rust/pact_ffi/src):
/// <list type="bullet">
/// <item>Strings are NUL-terminated UTF-8 both ways.</item>
/// <item>Rust <c>bool</c> is one byte: every bool is marshalled as <see cref="UnmanagedType.U1"/>.</item>
/// <item><c>PactHandle</c> is a <c>u16</c> and <c>InteractionHandle</c> a <c>u32</c>, passed by value;
/// the verifier handle is a pointer (<see cref="VerifierSafeHandle"/>).</item>
/// <item>C <c>unsigned long</c> (the verifier's timeout) is 64 bits on Linux: <see cref="CULong"/>;
/// <c>size_t</c> is <see cref="nuint"/>.</item>
/// <item>Returned strings: we free, with <see cref="StringDelete"/>, only those the FFI documents as
/// the caller's (log buffer, verifier output/JSON/logs). Mock-server mismatches belong to the mock
/// server and go with <see cref="CleanupMockServer"/>: freeing them is a double free.
/// <see cref="Version"/> is static.</item>
/// </list>
/// Callers use the safe wrappers in <c>SipConformance.Pact.Engine</c>, never this class directly.
/// </summary>
internal static partial class PactFfi
{
    public const string Library = "pact_ffi";

    static PactFfi() => NativeLoader.EnsureRegistered();

    /// <summary>Which half of an HTTP interaction a header or body belongs to.</summary>
    public enum Part
    {
        Request = 0,
        Response = 1,
    }

    /// <summary><c>PactSpecification</c>: Unknown, V1, V1_1, V2, V3, V4.</summary>
    public const int SpecificationV4 = 5;

    /// <summary><c>LevelFilter</c>: Off, Error, Warn, Info, Debug, Trace.</summary>
    public enum LevelFilter
    {
        Off = 0,
        Error = 1,
        Warn = 2,
        Info = 3,
        Debug = 4,
        Trace = 5,
    }

    // ---- library, errors, logging, strings ----

    /// <summary>The FFI's version (a static string: never freed).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_version")]
    public static partial nint Version();

    /// <summary>Copies the calling thread's last error message into the buffer; returns the bytes written, or a negative code (-1 NULL buffer, -2 too small).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_get_error_message")]
    public static unsafe partial int GetErrorMessage(byte* buffer, int length);

    /// <summary>Sends the engine's log to an in-memory buffer at the given level; callable once per process (later calls return a negative code).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_log_to_buffer")]
    public static partial int LogToBuffer(LevelFilter level);

    /// <summary>Takes (and empties) a log buffer: NULL id = the global one. The caller frees the result with <see cref="StringDelete"/>.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_fetch_log_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint FetchLogBuffer(string? logId);

    /// <summary>Frees a string the FFI handed over to the caller.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_string_delete")]
    public static partial void StringDelete(nint text);

    // ---- building a pact ----

    [LibraryImport(Library, EntryPoint = "pactffi_new_pact", StringMarshalling = StringMarshalling.Utf8)]
    public static partial ushort NewPact(string consumer, string provider);

    [LibraryImport(Library, EntryPoint = "pactffi_with_specification")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool WithSpecification(ushort pact, int specification);

    /// <summary>Frees a pact handle: 0, or 1 when the handle is not (or no longer) valid.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_free_pact_handle")]
    public static partial uint FreePactHandle(ushort pact);

    /// <summary>A new HTTP interaction; 0 when the pact handle is not valid.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_new_interaction", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint NewInteraction(ushort pact, string description);

    [LibraryImport(Library, EntryPoint = "pactffi_given", StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Given(uint interaction, string description);

    /// <summary>Adds a parameter (its value parsed as JSON, else kept as a string) to a provider state.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_given_with_param", StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool GivenWithParam(uint interaction, string description, string name, string value);

    /// <summary>Method and path (the path may be integration JSON with a matcher).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_with_request", StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool WithRequest(uint interaction, string method, string path);

    /// <summary>One header value (plain, or integration JSON with a matcher).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_with_header_v2", StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool WithHeader(uint interaction, Part part, string name, nuint index, string value);

    /// <summary>A body; for JSON, matchers and generators are embedded (integration JSON). Invalid JSON is accepted silently: validate first.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_with_body", StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool WithBody(uint interaction, Part part, string contentType, string body);

    [LibraryImport(Library, EntryPoint = "pactffi_response_status")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ResponseStatus(uint interaction, ushort status);

    // ---- the mock server ----

    /// <summary>Starts a mock server for the pact; returns its port, or -1 bad handle, -2 bad config JSON, -3 could not start, -4 panic, -5 bad address. A NULL address panics the FFI.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_create_mock_server_for_transport", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CreateMockServerForTransport(ushort pact, string address, ushort port, string? transport, string? transportConfig);

    /// <summary>True when every expected request arrived and nothing else did.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_mock_server_matched")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool MockServerMatched(int port);

    /// <summary>The mismatches as a JSON array. Owned by the mock server: never free it.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_mock_server_mismatches")]
    public static partial nint MockServerMismatches(int port);

    /// <summary>Writes the mock server's pact into a folder: 0 ok, 1 panic, 2 could not write, 3 no such mock server.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_write_pact_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int WritePactFile(int port, string directory, [MarshalAs(UnmanagedType.U1)] bool overwrite);

    /// <summary>Stops the mock server and frees what it owns (its mismatches and logs).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_cleanup_mock_server")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool CleanupMockServer(int port);

    // ---- the verifier ----

    /// <summary>A new verifier; NULL on error. Release with <see cref="VerifierShutdown"/> (done by <see cref="VerifierSafeHandle"/>).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_new_for_application", StringMarshalling = StringMarshalling.Utf8)]
    public static partial VerifierSafeHandle VerifierNewForApplication(string name, string version);

    [LibraryImport(Library, EntryPoint = "pactffi_verifier_shutdown")]
    public static partial void VerifierShutdown(nint handle);

    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_provider_info", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void VerifierSetProviderInfo(VerifierSafeHandle handle, string name, string scheme, string host, ushort port, string path);

    /// <summary>Selects interactions: a description regex and/or a state regex, or only those without a state.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_filter_info", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void VerifierSetFilterInfo(VerifierSafeHandle handle, string? description, string? state, [MarshalAs(UnmanagedType.U1)] bool noState);

    /// <summary>The state-change URL; <paramref name="body"/> = POST a JSON body {state, params, action}.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_provider_state", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void VerifierSetProviderState(VerifierSafeHandle handle, string url, [MarshalAs(UnmanagedType.U1)] bool teardown, [MarshalAs(UnmanagedType.U1)] bool body);

    /// <summary>TLS verification switch and request timeout in milliseconds (C unsigned long).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_verification_options")]
    public static partial int VerifierSetVerificationOptions(VerifierSafeHandle handle, [MarshalAs(UnmanagedType.U1)] bool disableSslVerification, CULong requestTimeoutMs);

    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_coloured_output")]
    public static partial int VerifierSetColouredOutput(VerifierSafeHandle handle, [MarshalAs(UnmanagedType.U1)] bool coloured);

    [LibraryImport(Library, EntryPoint = "pactffi_verifier_set_no_pacts_is_error")]
    public static partial int VerifierSetNoPactsIsError(VerifierSafeHandle handle, [MarshalAs(UnmanagedType.U1)] bool isError);

    /// <summary>A header added to every request the verifier sends (the name's case must match the pact's to replace a recorded header).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_add_custom_header", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void VerifierAddCustomHeader(VerifierSafeHandle handle, string name, string value);

    [LibraryImport(Library, EntryPoint = "pactffi_verifier_add_file_source", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void VerifierAddFileSource(VerifierSafeHandle handle, string file);

    /// <summary>Runs the verification: 0 passed, 1 failed, 2 could not run.</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_execute")]
    public static partial int VerifierExecute(VerifierSafeHandle handle);

    /// <summary>The result as JSON (caller frees).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_json")]
    public static partial nint VerifierJson(VerifierSafeHandle handle);

    /// <summary>The human-readable output (caller frees).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_output")]
    public static partial nint VerifierOutput(VerifierSafeHandle handle, [MarshalAs(UnmanagedType.U1)] bool stripAnsi);

    /// <summary>The verifier's log from the buffer sink (caller frees).</summary>
    [LibraryImport(Library, EntryPoint = "pactffi_verifier_logs")]
    public static partial nint VerifierLogs(VerifierSafeHandle handle);
}

/// <summary>Owns a verifier handle and shuts it down exactly once.</summary>
internal sealed class VerifierSafeHandle : SafeHandle
{
    public VerifierSafeHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        PactFfi.VerifierShutdown(handle);
        return true;
    }
}
