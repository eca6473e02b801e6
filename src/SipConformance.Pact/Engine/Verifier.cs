using System.Runtime.InteropServices;
using SipConformance.Pact.Interop;

namespace SipConformance.Pact.Engine;

/// <summary>What one run of the engine's verifier left behind, raw (the caller redacts before keeping any of it).</summary>
public sealed record VerifierRunOutput(int ExitCode, string Json, string Output, string Logs);

/// <summary>
/// The engine's provider verifier (a <c>VerifierHandle</c>), configured fluently and run once.
/// Dispose shuts it down. Values given to <see cref="CustomHeader"/> live only inside the engine.
/// </summary>
public sealed class Verifier : IDisposable
{
    private static readonly Lock StdoutGate = new();
    private readonly VerifierSafeHandle _handle;

    public Verifier(string application, string version)
    {
        PactNative.EnsureLogging();
        _handle = PactFfi.VerifierNewForApplication(application, version);
        if (_handle.IsInvalid) throw new PactEngineException(PactNative.Explain("pactffi_verifier_new_for_application returned no verifier"));
        PactFfi.VerifierSetColouredOutput(_handle, coloured: false);
        PactFfi.VerifierSetNoPactsIsError(_handle, isError: true);
    }

    public Verifier Provider(string name, Uri baseUrl)
    {
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        PactFfi.VerifierSetProviderInfo(_handle, name, baseUrl.Scheme, baseUrl.Host, (ushort)baseUrl.Port, path.Length == 0 ? "/" : path);
        return this;
    }

    /// <summary>Only interactions whose description matches the (Rust) regex.</summary>
    public Verifier OnlyDescriptions(string regex)
    {
        PactFfi.VerifierSetFilterInfo(_handle, regex, null, noState: false);
        return this;
    }

    public Verifier StateChange(Uri url, bool teardown = false)
    {
        PactFfi.VerifierSetProviderState(_handle, url.ToString(), teardown, body: true);
        return this;
    }

    public Verifier Options(bool disableTlsVerification, TimeSpan timeout)
    {
        var code = PactFfi.VerifierSetVerificationOptions(_handle, disableTlsVerification, new CULong((nuint)Math.Max(1, timeout.TotalMilliseconds)));
        if (code != 0) throw new PactEngineException(PactNative.Explain("pactffi_verifier_set_verification_options failed"), code);
        return this;
    }

    /// <summary>A header sent with every request of this run (replacing one the pact records under the same name).</summary>
    public Verifier CustomHeader(string name, string value)
    {
        PactFfi.VerifierAddCustomHeader(_handle, name, value);
        return this;
    }

    public Verifier PactFile(string path)
    {
        PactFfi.VerifierAddFileSource(_handle, Path.GetFullPath(path));
        return this;
    }

    /// <summary>
    /// Runs the verification (blocking). The engine also prints its report to the process's
    /// standard output; that copy is diverted and dropped (the same text comes back in
    /// <see cref="VerifierRunOutput.Output"/>, for the caller to redact), so a provider's answer
    /// that echoes a credential never reaches a console or CI log unredacted.
    /// </summary>
    public VerifierRunOutput Execute()
    {
        int code;
        lock (StdoutGate)
            using (StdoutDiversion.Begin())
                code = PactFfi.VerifierExecute(_handle);
        var json = PactNative.TakeOwned(PactFfi.VerifierJson(_handle)) ?? "";
        var output = PactNative.TakeOwned(PactFfi.VerifierOutput(_handle, stripAnsi: true)) ?? "";
        var logs = PactNative.TakeOwned(PactFfi.VerifierLogs(_handle)) ?? "";
        return new VerifierRunOutput(code, json, output, logs);
    }

    public void Dispose() => _handle.Dispose();
}
