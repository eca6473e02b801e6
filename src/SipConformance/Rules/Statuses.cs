using SipConformance.Contract;

namespace SipConformance.Rules;

/// <summary>
/// The status codes the rules name. Those the contract documents for the create operation are read
/// from it (by the schema each answer carries); the others are HTTP's own, named by the contract's
/// rules and kept here once. No other file types a status as a number.
/// </summary>
/// <remarks>
/// The rules are declared once for every revision, so the documented statuses are read from every
/// shipped revision (<see cref="SipContract.Revisions"/>, not a default contract) and must agree: a
/// revision that documents another status for one of them fails here, at load, naming it, instead of
/// being judged by another revision's number.
/// </remarks>
public static class Statuses
{
    /// <summary>The create operation's one success status (200).</summary>
    public static int Ok { get; } = Agreed("the create's success", c => c.SuccessStatus(SchemaNames.CreateOperation));

    /// <summary>The create operation's status whose body is the validation error (422).</summary>
    public static int Unprocessable { get; } = Agreed("the validation error", c => Documented(c, SchemaNames.CreateOperation, SchemaNames.ValidationError));

    /// <summary>The status whose body is the Unauthorized error (401).</summary>
    public static int Unauthorized { get; } = Agreed("Unauthorized", c => Documented(c, SchemaNames.CreateOperation, SchemaNames.Unauthorized));

    /// <summary>The status whose body is the Not Found error (404).</summary>
    public static int NotFound { get; } = Agreed("Not Found", c => Documented(c, SchemaNames.GetOperation, SchemaNames.NotFound));

    /// <summary>The delete operation's success status (204).</summary>
    public static int Deleted { get; } = Agreed("the delete's success", c => c.SuccessStatus(SchemaNames.DeleteOperation));

    /// <summary>HTTP statuses the contract's rules allow beside the documented ones (RFC 9110).</summary>
    public const int BadRequest = 400, Conflict = 409, ContentTooLarge = 413, UnsupportedMediaType = 415, TooManyRequests = 429;

    /// <summary>The first status of HTTP's 5xx class (server errors, RFC 9110 §15.6).</summary>
    public const int FirstServerError = 500;

    /// <summary>A 2xx status (RFC 9110 §15.3).</summary>
    public static bool IsSuccess(int status) => status is >= 200 and < 300;

    /// <summary>A 4xx status (RFC 9110 §15.5).</summary>
    public static bool IsClientError(int status) => status is >= BadRequest and < FirstServerError;

    /// <summary>A 3xx status (RFC 9110 §15.4).</summary>
    public static bool IsRedirect(int status) => status is >= 300 and < BadRequest;

    private static int Documented(SipContract contract, string operation, string schema) =>
        contract.DocumentedStatuses(operation).Single(s => contract.ResponseSchema(operation, s) == schema);

    private static int Agreed(string what, Func<SipContract, int> read)
    {
        var byRevision = SipContract.Revisions.Select(r => (Revision: r, Status: read(SipContract.Of(r)))).ToList();
        if (byRevision.Select(p => p.Status).Distinct().Count() != 1)
            throw new InvalidDataException($"the contract revisions document different statuses for {what} ({string.Join(", ", byRevision.Select(p => $"{p.Revision}: {p.Status}"))}); the rules name one");
        return byRevision[0].Status;
    }
}
