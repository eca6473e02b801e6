using System.Text.Json.Nodes;
using SipConformance.Pact.Interop;
using SipConformance.Pact.Model;

namespace SipConformance.Pact.Engine;

/// <summary>
/// A pact held by the engine (a <c>PactHandle</c>): interactions go in, a mock server serves it.
/// Dispose frees the handle (and stops a mock server still running). Not thread-safe.
/// </summary>
public sealed class PactModel : IDisposable
{
    private readonly ushort _handle;
    private bool _disposed;
    private bool _started;

    public PactModel(string consumer, string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        PactNative.EnsureLogging();
        _handle = PactFfi.NewPact(consumer, provider);
        if (_handle == 0) throw new PactEngineException(PactNative.Explain("pactffi_new_pact returned no handle"));
        if (!PactFfi.WithSpecification(_handle, PactFfi.SpecificationV4))
        {
            PactFfi.FreePactHandle(_handle);
            throw new PactEngineException(PactNative.Explain("pactffi_with_specification refused V4"));
        }
        Consumer = consumer;
        Provider = provider;
    }

    public string Consumer { get; }
    public string Provider { get; }

    /// <summary>The file name the engine gives this pact: "{consumer}-{provider}.json".</summary>
    public string FileName => $"{Consumer}-{Provider}.json";

    /// <summary>Adds an interaction. It is validated first (the FFI takes invalid JSON and unknown matchers silently).</summary>
    public void Add(PactInteraction interaction)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new InvalidOperationException("the mock server is running: the engine would take the change into the handle but not into the server");
        interaction.Validate();

        var i = PactFfi.NewInteraction(_handle, interaction.Description);
        if (i == 0) throw new PactEngineException(PactNative.Explain($"pactffi_new_interaction refused '{interaction.Description}'"));
        foreach (var state in interaction.States)
        {
            if (state.Parameters.Count == 0) Check(PactFfi.Given(i, state.Name), "pactffi_given", interaction);
            foreach (var (name, value) in state.Parameters)
                Check(PactFfi.GivenWithParam(i, state.Name, name, value?.ToJsonString() ?? "null"), "pactffi_given_with_param", interaction);
        }
        Check(PactFfi.WithRequest(i, interaction.Method, interaction.Path), "pactffi_with_request", interaction);
        foreach (var (name, value) in interaction.RequestHeaders)
            Check(PactFfi.WithHeader(i, PactFfi.Part.Request, name, 0, HeaderText(value)), "pactffi_with_header_v2", interaction);
        if (interaction.RequestBody is { } requestBody)
            Check(PactFfi.WithBody(i, PactFfi.Part.Request, interaction.RequestContentType, requestBody.ToJsonString()), "pactffi_with_body", interaction);
        Check(PactFfi.ResponseStatus(i, (ushort)interaction.Status), "pactffi_response_status", interaction);
        foreach (var (name, value) in interaction.ResponseHeaders)
            Check(PactFfi.WithHeader(i, PactFfi.Part.Response, name, 0, HeaderText(value)), "pactffi_with_header_v2", interaction);
        if (interaction.ResponseBody is { } responseBody)
            Check(PactFfi.WithBody(i, PactFfi.Part.Response, interaction.ResponseContentType, responseBody.ToJsonString()), "pactffi_with_body", interaction);
    }

    private static string HeaderText(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();

    private static void Check(bool ok, string call, PactInteraction interaction)
    {
        if (!ok) throw new PactEngineException(PactNative.Explain($"{call} refused a part of '{interaction.Description}'"));
    }

    /// <summary>Starts the engine's mock server for this pact on 127.0.0.1 and a port the OS picks.</summary>
    public MockServer StartMockServer(string? transportConfigJson = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var port = PactFfi.CreateMockServerForTransport(_handle, "127.0.0.1", 0, "http", transportConfigJson);
        if (port <= 0)
            throw new PactEngineException(PactNative.Explain($"the Pact mock server did not start (code {port}: {MockServer.DescribeStartCode(port)})"), port);
        _started = true;
        return new MockServer(port, this);
    }

    /// <summary>True while the engine still knows the handle (for tests of the lifecycle).</summary>
    internal ushort Handle => _handle;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        PactFfi.FreePactHandle(_handle);
    }
}

/// <summary>A running Pact mock server. Dispose stops it and frees what it owns.</summary>
public sealed class MockServer : IDisposable
{
    private bool _disposed;

    internal MockServer(int port, PactModel pact)
    {
        Port = port;
        Pact = pact;
    }

    public int Port { get; }
    public PactModel Pact { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The mock server's documented start codes.</summary>
    public static string DescribeStartCode(int code) => code switch
    {
        -1 => "the pact handle is not valid",
        -2 => "the transport configuration is not valid JSON",
        -3 => "the mock server could not be started",
        -4 => "the engine panicked",
        -5 => "the address is not valid",
        _ => "unknown code",
    };

    /// <summary>True when every interaction was requested, and nothing else was.</summary>
    public bool Matched
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return PactFfi.MockServerMatched(Port);
        }
    }

    /// <summary>The mismatches as the engine reports them (a JSON array). Owned by the mock server: read, never freed.</summary>
    public string MismatchesJson()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PactNative.Borrow(PactFfi.MockServerMismatches(Port)) ?? "[]";
    }

    /// <summary>Writes the pact file (overwriting one already there) and returns its path.</summary>
    public string WritePactFile(string directory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Directory.CreateDirectory(directory);
        var code = PactFfi.WritePactFile(Port, Path.GetFullPath(directory), overwrite: true);
        if (code != 0)
        {
            var meaning = code switch
            {
                1 => "the engine panicked",
                2 => "the file could not be written",
                3 => "no mock server runs on that port",
                _ => "unknown code",
            };
            throw new PactEngineException(PactNative.Explain($"the pact file could not be written to {directory} (code {code}: {meaning})"), code);
        }
        return Path.Combine(Path.GetFullPath(directory), Pact.FileName);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        PactFfi.CleanupMockServer(Port);
    }
}
