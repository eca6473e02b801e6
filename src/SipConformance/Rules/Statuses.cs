using SipConformance.Contract;

namespace SipConformance.Rules;

/// <summary>
/// The status codes the rules name. Those the contract file documents for the create operation
/// are read from it (by the schema each answer carries); the others are HTTP's own, named by the
/// contract's rules and kept here once.
/// </summary>
public static class Statuses
{
    private static readonly SipContract Contract = SipContract.Default;

    /// <summary>The create operation's one success status (200).</summary>
    public static int Ok { get; } = Contract.SuccessStatus(SchemaNames.CreateOperation);

    /// <summary>The create operation's status whose body is the validation error (422).</summary>
    public static int Unprocessable { get; } = Documented(SchemaNames.CreateOperation, SchemaNames.ValidationError);

    /// <summary>The status whose body is the Unauthorized error (401).</summary>
    public static int Unauthorized { get; } = Documented(SchemaNames.CreateOperation, SchemaNames.Unauthorized);

    /// <summary>The status whose body is the Not Found error (404).</summary>
    public static int NotFound { get; } = Documented(SchemaNames.GetOperation, SchemaNames.NotFound);

    /// <summary>The delete operation's success status (204).</summary>
    public static int Deleted { get; } = Contract.SuccessStatus(SchemaNames.DeleteOperation);

    /// <summary>HTTP statuses the contract's rules allow beside the documented ones (RFC 9110).</summary>
    public const int BadRequest = 400, Conflict = 409, ContentTooLarge = 413, UnsupportedMediaType = 415, TooManyRequests = 429;

    private static int Documented(string operation, string schema) =>
        Contract.DocumentedStatuses(operation).Single(s => Contract.ResponseSchema(operation, s) == schema);
}
