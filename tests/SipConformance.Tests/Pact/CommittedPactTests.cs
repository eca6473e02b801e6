using SipConformance.Contract;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Pact;

namespace SipConformance.Tests.Pact;

/// <summary>
/// pacts/ holds the exported pact for client teams (`pact stub -d pacts`). It must be what the
/// contract gives today. To refresh it: SIPCONF_PACT_REFRESH=true dotnet test tests/SipConformance.Tests --filter FullyQualifiedName~CommittedPact
/// </summary>
public class CommittedPactTests
{
    [Test]
    public async Task The_pact_in_the_repository_is_the_one_the_contract_gives()
    {
        var committedDir = PactWorkflow.CommittedPactDirectory;
        var settings = new SuiteSettings { Seed = 1 };
        var committed = Path.Combine(committedDir, $"{settings.PactConsumer}-{settings.PactProvider}.json");
        if (Environment.GetEnvironmentVariable("SIPCONF_PACT_REFRESH") == "true")
        {
            await PactWorkflow.ExportAsync(settings, SipContract.Default, committedDir, CancellationToken.None);
            TestContext.Progress.WriteLine($"refreshed {committed}");
        }

        var fresh = Directory.CreateTempSubdirectory("sipconf-committed-").FullName;
        try
        {
            var file = await PactWorkflow.ExportAsync(settings, SipContract.Default, fresh, CancellationToken.None);
            File.Exists(committed).Should().BeTrue($"{committed} is missing: run with SIPCONF_PACT_REFRESH=true to write it");
            (await File.ReadAllTextAsync(committed)).Should().Be(await File.ReadAllTextAsync(file),
                "the committed pact is stale: run with SIPCONF_PACT_REFRESH=true and commit pacts/");
        }
        finally { Directory.Delete(fresh, true); }
    }
}
