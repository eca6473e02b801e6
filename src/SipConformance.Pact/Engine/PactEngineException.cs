namespace SipConformance.Pact.Engine;

/// <summary>
/// The Pact engine refused or failed an operation. <see cref="Code"/> is the FFI's return code when
/// there is one; the message carries the FFI's own explanation (its last-error message, its log,
/// or its documented meaning of the code), already redacted by whoever raised it.
/// </summary>
public class PactEngineException : Exception
{
    public PactEngineException(string message, int? code = null, Exception? inner = null) : base(message, inner) => Code = code;

    /// <summary>The return code of the FFI call, when the failure came with one.</summary>
    public int? Code { get; }
}

/// <summary>The Pact mock server saw requests that did not match the pact, or did not see some it expected.</summary>
public sealed class PactMismatchException(string message, IReadOnlyList<string> mismatches) : PactEngineException(message)
{
    /// <summary>One redacted line per mismatch.</summary>
    public IReadOnlyList<string> Mismatches => mismatches;
}
