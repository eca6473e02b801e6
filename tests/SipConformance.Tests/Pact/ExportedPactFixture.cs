using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Pact;

namespace SipConformance.Tests.Pact;

/// <summary>A fixture that exports the pact once (seed 1) into a temporary folder of its own, deleted after.</summary>
public abstract class ExportedPactFixture
{
    private string _dir = null!;

    /// <summary>The exported pact file.</summary>
    protected string PactFile { get; private set; } = null!;

    /// <summary>How many interactions the pact defines.</summary>
    protected static int InteractionCount => SipPact.Interactions(SipContract.Default).Count;

    [OneTimeSetUp]
    public async Task Export()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"sipconf-{GetType().Name}-" + Guid.NewGuid().ToString("N"));
        PactFile = await PactWorkflow.ExportAsync(new SuiteSettings { Seed = 1 }, SipContract.Default, _dir, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);
}
