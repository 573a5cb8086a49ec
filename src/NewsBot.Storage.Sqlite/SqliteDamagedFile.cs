using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// What the SQLite stores do with a damaged file: NewsBot's files hold nothing that cannot be made again (the index from
/// the seeds folder, event claims that last minutes), so a damaged one is set aside, renamed and never deleted, for
/// whoever wants to look at it, and a fresh one takes its place.
/// </summary>
internal static class SqliteDamagedFile
{
    private const int SqliteError = 1;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>SQLite's signs of a damaged file: not a database, corrupt, or missing a table or column NewsBot made.</summary>
    public static bool IsDamage(Exception e) =>
        e is SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase }
        || (e is SqliteException { SqliteErrorCode: SqliteError } missing
            && (missing.Message.Contains("no such table", StringComparison.Ordinal)
                || missing.Message.Contains("no such column", StringComparison.Ordinal)
                || missing.Message.Contains("has no column named", StringComparison.Ordinal)));

    /// <summary>Renames the damaged file (and its WAL and shared-memory files) beside itself, with the time; returns the new name.</summary>
    public static string SetAside(string path, TimeProvider time)
    {
        SqliteConnection.ClearAllPools();
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var target = $"{path}.damaged-{stamp}";
        for (var n = 2; File.Exists(target); n++)
            target = $"{path}.damaged-{stamp}-{n}";
        File.Move(path, target);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
                File.Move(path + suffix, target + suffix);
        }

        return target;
    }
}
