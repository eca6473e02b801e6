using System.Net.Http.Headers;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using SipConformance.Configuration;
using SipConformance.Contract;
using SipConformance.Pact;
using SipConformance.Pact.Cli;

namespace SipConformance.Tests.Pact;

/// <summary>Client teams develop against `pact stub` serving pacts/: it must answer every interaction as recorded.</summary>
public class StubTests
{
    [Test]
    public async Task The_stub_answers_every_interaction_with_its_recorded_status()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sipconf-stub-" + Guid.NewGuid().ToString("N"));
        try
        {
            await PactWorkflow.ExportAsync(new SuiteSettings { Seed = 1 }, SipContract.Default, dir, CancellationToken.None);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int pid;
            await using (var stub = await PactStub.StartAsync(dir))
            {
                pid = stub.ProcessId;
                TestContext.Progress.WriteLine($"stub start: {clock.ElapsedMilliseconds} ms");
                using var http = new HttpClient { BaseAddress = stub.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
                var interactions = SipPact.Interactions(SipContract.Default);
                foreach (var i in interactions)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(i.Method), i.Path.TrimStart('/'))
                    {
                        Content = new StringContent(i.ExampleRequestBody!.ToJsonString(), Encoding.UTF8),
                    };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(i.RequestContentType);
                    if (i.SendsCredentials) request.Headers.TryAddWithoutValidation("Authorization", i.ExampleRequestHeader("Authorization"));
                    using var response = await http.SendAsync(request);
                    ((int)response.StatusCode).Should().Be(i.Status, $"'{i.Description}' ({await response.Content.ReadAsStringAsync()})");
                }
                using var unknown = await http.GetAsync("api/fabric/resources/nothing_here");
                ((int)unknown.StatusCode).Should().Be(404);
                TestContext.Progress.WriteLine($"stub, {interactions.Count} interactions: {clock.ElapsedMilliseconds} ms");
            }
            Running(pid).Should().BeFalse("dispose stops the stub process");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; } // no such process any more
    }

    [Test]
    public async Task A_folder_without_pacts_is_refused_before_anything_starts()
    {
        var empty = Directory.CreateTempSubdirectory("sipconf-empty-").FullName;
        try { await FluentActions.Awaiting(() => PactStub.StartAsync(empty)).Should().ThrowAsync<FileNotFoundException>(); }
        finally { Directory.Delete(empty); }
    }
}
