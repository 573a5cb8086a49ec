using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace NewsBot.Tests.MultiProcess;

/// <summary>
/// A private PostgreSQL cluster for the tests: <c>initdb</c> into a temporary folder and <c>pg_ctl</c> on a free
/// loopback port, run as the <c>postgres</c> user when the tests run as root (PostgreSQL refuses root). Logins
/// need a password (scram-sha-256), so a wrong one is refused as on a real server. Torn down after the tests.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Role = "newsbot";
    public const string Password = "s3cret-Pa55word";
    private const string SuperPassword = "super-Pa55word";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "newsbot-pg-" + Guid.NewGuid().ToString("N"));
    private string _bin = null!;
    private bool _asPostgresUser;
    private int _databases;

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asPostgresUser = Environment.UserName == "root";
        Directory.CreateDirectory(_root);
        var passwordFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperPassword + "\n");
        if (_asPostgresUser)
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false);
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C"], _asPostgresUser);
        Port = FreePort();
        await StartAsync();
        await using var connection = new NpgsqlConnection(SuperConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE ROLE {Role} LOGIN PASSWORD '{Password}'", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A fresh, empty database owned by the test role, so each test starts from nothing.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"newsbot_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(SuperConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {Role}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>A login granted only CONNECT and SELECT on the tables that <paramref name="database"/> holds now.</summary>
    public async Task<string> ReadOnlyConnectionStringAsync(string database)
    {
        var role = $"reader_{database}";
        await using (var connection = new NpgsqlConnection(SuperConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN PASSWORD '{Password}'; GRANT CONNECT ON DATABASE {database} TO {role}", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(SuperConnectionString(database)))
        {
            await connection.OpenAsync();
            await using var grant = new NpgsqlCommand($"GRANT USAGE ON SCHEMA public TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}", connection);
            await grant.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Username = role }.ConnectionString;
    }

    public string ConnectionString(string database, string password = Password) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = Role, Password = password, Timeout = 30, CommandTimeout = 60 }.ConnectionString;

    public Task StartAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"),
        ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
         "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"],
        _asPostgresUser);

    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], _asPostgresUser);

    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _asPostgresUser);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string SuperConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Password = SuperPassword, Pooling = false }.ConnectionString;

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        return candidates.Concat(onPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException("PostgreSQL server programs (initdb, pg_ctl) not found: install them (apt-get install postgresql-15); .ci/run does.");
    }

    /// <summary>A connection string like the fixture's (its password included), to a loopback port nothing listens on.</summary>
    public string UnreachableConnectionString(string database = "newsbot") =>
        new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Port = FreePort(), Timeout = 5 }.ConnectionString;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", program })
                start.ArgumentList.Add(arg);
        }

        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error} {await output}");
    }
}
