using System.Runtime.InteropServices;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Pact.Engine;
using SipConformance.Pact.Interop;

namespace SipConformance.Tests.Pact;

/// <summary>
/// The platform mapping the build (PactEngine.targets, through the same C# source) and the run time
/// (EngineLocator) use: every runtime identifier the engine is published for, its npm packages and
/// files (as the npm registry lists them for pact-core 20.2.0 and pact-cli 18.1.2), and the refusal
/// of any other identifier.
/// </summary>
public class PlatformTests
{
    // rid, npm platform of the core package, library inside it, npm platform of the CLI (null: none published), library file.
    private static readonly object?[][] Expected =
    [
        ["linux-x64", "linux-x64-glibc", "prebuilds/linux-x64/libpact_ffi.so", "linux-x64", "libpact_ffi.so"],
        ["linux-arm64", "linux-arm64-glibc", "prebuilds/linux-arm64/libpact_ffi.so", "linux-arm64", "libpact_ffi.so"],
        ["linux-musl-x64", "linux-x64-musl", "prebuilds/linux-x64/libpact_ffi_musl.so", null, "libpact_ffi.so"],
        ["linux-musl-arm64", "linux-arm64-musl", "prebuilds/linux-arm64/libpact_ffi_musl.so", null, "libpact_ffi.so"],
        ["osx-x64", "darwin-x64", "prebuilds/darwin-x64/libpact_ffi.dylib", "darwin-x64", "libpact_ffi.dylib"],
        ["osx-arm64", "darwin-arm64", "prebuilds/darwin-arm64/libpact_ffi.dylib", "darwin-arm64", "libpact_ffi.dylib"],
        ["win-x64", "windows-x64", "prebuilds/win32-x64/pact_ffi.dll", "windows-x64", "pact_ffi.dll"],
    ];

    private static IEnumerable<TestCaseData> EveryIdentifier() =>
        Expected.Select(row => new TestCaseData(row).SetArgDisplayNames((string)row[0]!));

    [TestCaseSource(nameof(EveryIdentifier))]
    public void Each_supported_identifier_maps_to_its_engine_packages(string rid, string npmPlatform, string library, string? cliPlatform, string libraryFile)
    {
        var platform = PactPlatforms.Resolve(rid);

        platform.RuntimeIdentifier.Should().Be(rid);
        platform.CoreSpec.Should().Be($"@pact-foundation/pact-core-{npmPlatform}@20.2.0");
        platform.LibraryInPackage.Should().Be(library);
        platform.CliSpec.Should().Be(cliPlatform is null ? null : $"@pact-foundation/pact-cli-{cliPlatform}@18.1.2");
        platform.LibraryFile.Should().Be(libraryFile);
        platform.NativePath.Should().Be($"runtimes/{rid}/native/{libraryFile}", "the NuGet layout the runtime resolves");
        PactPlatforms.Find(rid.ToUpperInvariant()).Should().BeSameAs(platform, "identifiers compare case-insensitively");
    }

    [Test]
    public void The_supported_list_is_exactly_the_published_platforms() =>
        PactPlatforms.Supported.Select(p => p.RuntimeIdentifier).Should().Equal(Expected.Select(row => (string)row[0]!));

    [TestCase("win-arm64")]
    [TestCase("linux-x86")]
    [TestCase("freebsd-x64")]
    [TestCase("osx")]
    [TestCase("")]
    public void An_identifier_without_an_engine_is_refused_with_the_supported_list(string rid)
    {
        PactPlatforms.Find(rid).Should().BeNull();
        var refused = FluentActions.Invoking(() => PactPlatforms.Resolve(rid)).Should().Throw<PlatformNotSupportedException>().Which;
        refused.Message.Should().Contain($"'{rid}'").And.Contain("SIPCONF_PACT_ENGINE_DIR");
        foreach (var row in Expected) refused.Message.Should().Contain((string)row[0]!, "the message names every supported identifier");
    }

    [Test]
    public void This_machine_is_a_supported_platform_and_the_locator_names_its_files()
    {
        EngineLocator.Platform.Should().NotBeNull($"this machine ({RuntimeInformation.RuntimeIdentifier}) is one the engine is published for");
        EngineLocator.LibraryFile.Should().Be(EngineLocator.Platform!.LibraryFile);
        EngineLocator.CliFile.Should().Be(EngineLocator.Platform.CliFile);
    }

    [Test]
    public void In_a_clone_the_library_comes_from_the_engine_the_build_installed()
    {
        PactNative.Version.Should().NotBeNullOrEmpty(); // loads the library
        NativeLoader.PactLoadedFrom.Should().Be(EngineLocator.LibraryPath, "a clone's build output has no runtimes/ folder: the .pact install is used");
    }
}
