using System.Runtime.InteropServices;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Pact.Engine;
using SipConformance.Pact.Interop;

namespace SipConformance.Tests.Pact;

public class InteropTests
{
    [Test]
    public void The_engine_loads_and_reports_its_version() =>
        PactNative.Version.Should().MatchRegex(@"^0\.5\.\d+$");

    [Test]
    public void The_engine_is_found_where_the_build_put_it()
    {
        EngineLocator.LibraryPath.Should().EndWith("/lib/libpact_ffi.so");
        File.Exists(EngineLocator.CliPath).Should().BeTrue();
        var candidates = EngineLocator.Candidates("libpact_ffi.so", "lib", "/opt/engine", "/a/b", "/recorded");
        candidates.Should().StartWith(["/opt/engine/lib/libpact_ffi.so", "/opt/engine/libpact_ffi.so", "/a/b/libpact_ffi.so", "/a/b/.pact/lib/libpact_ffi.so"])
            .And.EndWith("/recorded/lib/libpact_ffi.so");
    }

    [Test]
    public void A_pact_handle_is_freed_once_and_only_once()
    {
        var pact = new PactModel("interop-consumer", "interop-provider");
        var handle = pact.Handle;
        handle.Should().NotBe((ushort)0);
        pact.Dispose();
        // The engine no longer knows the handle: a second free reports it (1), and our Dispose is idempotent.
        PactFfi.FreePactHandle(handle).Should().Be(1u);
        pact.Invoking(p => p.Dispose()).Should().NotThrow();
        pact.Invoking(p => p.StartMockServer()).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void A_verifier_handle_is_shut_down_by_its_owner()
    {
        var verifier = new Verifier("interop", "1");
        verifier.Dispose();
        verifier.Invoking(v => v.Dispose()).Should().NotThrow();
    }

    [Test]
    public void A_bad_transport_configuration_becomes_an_exception_with_the_engines_own_reason()
    {
        using var pact = new PactModel("interop-consumer", "interop-provider");
        var act = () => pact.StartMockServer("{ not json");
        var e = act.Should().Throw<PactEngineException>().Which;
        e.Code.Should().Be(-2);
        e.Message.Should().Contain("the transport configuration is not valid JSON")   // the documented meaning of -2
            .And.Contain("Failed to parse transport_config as JSON");                   // the engine's own words, from its log
    }

    [Test]
    public void An_ffi_call_that_fails_leaves_its_message_for_the_exception()
    {
        // A NULL verifier handle: the engine refuses it, returns failure and records why.
        using var invalid = new VerifierSafeHandle();
        PactFfi.VerifierSetVerificationOptions(invalid, false, new CULong(1000)).Should().Be(1);
        var message = PactNative.Explain("pactffi_verifier_set_verification_options failed");
        message.Should().StartWith("pactffi_verifier_set_verification_options failed; FFI error: ");
        message.Length.Should().BeGreaterThan("pactffi_verifier_set_verification_options failed; FFI error: ".Length);
    }
}
