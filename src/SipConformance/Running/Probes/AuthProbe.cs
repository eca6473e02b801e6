using SipConformance.Checks;
using SipConformance.Configuration;
using SipConformance.Target;

namespace SipConformance.Running.Probes;

/// <summary>Every 401 case of the contract, the lower-case scheme, and "a rejected request creates nothing".</summary>
public sealed class AuthProbe : Probe
{
    public override string Name => "auth";


    /// <summary>The credential variants: what is sent, and the check that judges its answer.</summary>
    public static IEnumerable<(AuthHeader Auth, CheckInfo Check)> Variants(SuiteRun run)
    {
        var p = run.Target.Primary;
        var fakeToken = new Secret("sipconf-wrong-token-" + run.Identity.Marker);
        var unknownProject = run.Identity.Uuid("unknown-project", 0).ToString();
        yield return (AuthHeader.None, Authentication.NoHeader);
        yield return (AuthHeader.Basic("the project with a wrong token", p.ProjectId, fakeToken, p.ProjectVar) with
            { Curl = $"-H \"Authorization: Basic $(printf '%s:%s' \"${p.ProjectVar}\" '{fakeToken.Reveal()}' | base64 -w0)\"" }, Authentication.WrongToken);
        if (run.Target.Second is { } s)
            yield return (AuthHeader.Basic("the project with the second project's token", p.ProjectId, s.Token, p.ProjectVar, s.TokenVar), Authentication.WrongToken);
        yield return (AuthHeader.Basic("an unknown project with the real token", unknownProject, p.Token, "SIPCONF_UNKNOWN_PROJECT", p.TokenVar) with
            { Curl = $"-H \"Authorization: Basic $(printf '%s:%s' '{unknownProject}' \"${p.TokenVar}\" | base64 -w0)\"" }, Authentication.UnknownProject);
        yield return (new AuthHeader("the Bearer scheme with the token", new Secret("Bearer " + p.Token.Reveal()), "Bearer " + Secret.Mask, $"-H \"Authorization: Bearer ${p.TokenVar}\""), Authentication.OtherScheme);
        yield return (AuthHeader.Basic("the Digest scheme name with Basic credentials", p.ProjectId, p.Token, p.ProjectVar, p.TokenVar, scheme: "Digest"), Authentication.OtherScheme);
        yield return (AuthHeader.Literal("Basic with text that is not base64", "Basic !!not*base64!!"), Authentication.BadBase64);
        yield return (AuthHeader.Literal("Basic with base64 of text without a colon", "Basic " + AuthHeader.Base64("sipconf-no-colon")), Authentication.BadBase64);
        yield return (AuthHeader.Literal("Basic with nothing after it", "Basic "), Authentication.EmptyCredentials);
        yield return (AuthHeader.Literal("Basic with base64 of \":\"", "Basic " + AuthHeader.Base64(":")), Authentication.EmptyCredentials);
        yield return (AuthHeader.Literal("Basic with an empty token", "Basic " + AuthHeader.Base64(p.ProjectId + ":")), Authentication.EmptyCredentials);
    }

    public override async Task RunAsync(SuiteRun run, CancellationToken ct)
    {
        var cases = new List<CreateCase>();
        var i = 0;
        foreach (var (auth, check) in Variants(run))
            cases.Add(run.ValidCase("auth", i++, auth.Label, "auth", auth, AnswerTable.Unauthorized(check)));
        foreach (var scheme in new[] { "basic", "BASIC" })
        {
            var c = run.ValidCase("auth", i++, $"the scheme name written {scheme}", "auth",
                AuthHeader.Basic($"the scheme name written {scheme}", run.Target.Primary.ProjectId, run.Target.Primary.Token, run.Target.Primary.ProjectVar, run.Target.Primary.TokenVar, scheme));
            cases.Add(c with { Expect = run.Answers.LowerCaseScheme(c.Payload!) });
        }
        var results = await run.ExecuteAllAsync(cases, ct).ConfigureAwait(false);
        await run.CheckRejectedCreatedNothingAsync(Authentication.RejectedCreatesNothing,
            results.Where(r => r.Create.Status == 401 || r.Case.Expect.Statuses.SequenceEqual([401])).ToList(), run.Target.Primary, ct).ConfigureAwait(false);
    }
}
