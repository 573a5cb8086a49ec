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
    public static bool IsStoreFailure(Exception exception) =>
        exception is NpgsqlException or SocketException or TimeoutException
        || (exception is IOException && exception.InnerException is SocketException);

    public static IndexStoreUnavailableException Describe(Exception exception, NpgsqlConnectionStringBuilder settings)
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
