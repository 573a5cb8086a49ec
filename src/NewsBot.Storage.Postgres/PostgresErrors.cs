using System.Net.Sockets;
using Npgsql;
using NewsBot.Ingestion;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Turns Npgsql failures into one line naming <c>Storage:ConnectionString</c> and the server, never the
/// connection string itself (it holds the password).
/// </summary>
internal static class PostgresErrors
{
    private const string UndefinedTable = "42P01";
    private const string UndefinedColumn = "42703";
    private const string DuplicateTable = "42P07";
    private const string DuplicateColumn = "42701";

    public static bool IsStoreFailure(Exception exception) =>
        exception is NpgsqlException or SocketException or TimeoutException
        || (exception is IOException && exception.InnerException is SocketException);

    /// <summary>
    /// A table or column of the schema missing (dropped behind NewsBot's back, or a schema version table lost while the
    /// tables stayed): damage an ingest repairs by rebuilding the tables, not a setting to fix.
    /// </summary>
    public static bool IsSchemaDamage(Exception exception) =>
        exception is PostgresException { SqlState: UndefinedTable or UndefinedColumn or DuplicateTable or DuplicateColumn };

    /// <summary>Where the index is, for messages: database, server and port only.</summary>
    public static string Place(NpgsqlConnectionStringBuilder settings) =>
        $"database {settings.Database} on PostgreSQL at {settings.Host}:{settings.Port}";

    /// <summary>Damage found in the index, in one line naming what is damaged and what repairs it.</summary>
    /// <param name="sourceId">The article that cannot be read back; null when the tables themselves are damaged.</param>
    public static IndexStoreDamagedException Damaged(Exception exception, NpgsqlConnectionStringBuilder settings, string? sourceId = null)
    {
        var reason = Reason(exception);
        return sourceId is null
            ? new($"The index tables in {Place(settings)} are damaged ({reason}); an ingest (newsbot ingest, with the seeds folder) rebuilds them.", exception)
            : new($"The index in {Place(settings)} is damaged: article {sourceId} cannot be read back ({reason}); an ingest (newsbot ingest, with the seeds folder) embeds it again.", exception, sourceId);
    }

    /// <summary>What was found damaged, as said inside a damage message.</summary>
    public static string Reason(Exception exception) =>
        (exception is PostgresException e ? e.MessageText : exception.Message).TrimEnd('.');

    public static Exception Describe(Exception exception, NpgsqlConnectionStringBuilder settings) =>
        IsSchemaDamage(exception) ? Damaged(exception, settings) : Unavailable(exception, settings);

    private static IndexStoreUnavailableException Unavailable(Exception exception, NpgsqlConnectionStringBuilder settings)
    {
        var server = $"PostgreSQL at {settings.Host}:{settings.Port}";
        return exception switch
        {
            PostgresException { SqlState: "28P01" or "28000" } e =>
                new($"Storage:ConnectionString: {server} refused the login ({e.MessageText}); check Username and Password.", isConfigurationError: true, e),
            PostgresException { SqlState: "3D000" } e =>
                new($"Storage:ConnectionString: {e.MessageText} on {server}; create it or fix Database.", isConfigurationError: true, e),
            PostgresException { SqlState: "42501" } e =>
                new($"Storage:ConnectionString: the role lacks a privilege on database {settings.Database} ({e.MessageText}); grant it or use the database owner.", isConfigurationError: true, e),
            PostgresException { SqlState: ['5', '7', 'P', ..] } e =>
                new($"{server} is shutting down or restarting ({e.MessageText}) (Storage:ConnectionString).", isConfigurationError: false, e),
            PostgresException e =>
                new($"{server} failed: {e.SqlState}: {e.MessageText} (Storage:ConnectionString).", isConfigurationError: false, e),
            NpgsqlException e when e.InnerException is null && e.Message.Contains("password", StringComparison.OrdinalIgnoreCase) =>
                new($"Storage:ConnectionString: {server} asks for a password and none was given; add Password.", isConfigurationError: true, e),
            _ => new($"Storage:ConnectionString: cannot reach {server} ({Innermost(exception).Message.TrimEnd('.')}).", isConfigurationError: false, exception),
        };
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
            exception = exception.InnerException;
        return exception;
    }
}
