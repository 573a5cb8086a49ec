using System.ComponentModel.DataAnnotations;

namespace NewsBot.Ingestion;

/// <summary>Which store holds the index (section <c>Storage</c>).</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file: one machine, one process at a time writing.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by several processes.</summary>
    Postgres,
}

/// <summary>Where the index lives and how a running process follows changes made by others (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite file of the index; a relative path resolves against the current directory.</summary>
    [Required]
    public string IndexPath { get; set; } = "data/newsbot.db";

    /// <summary>Npgsql connection string, for <see cref="StorageProvider.Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How often a running process checks for an index another process published, besides notifications.</summary>
    [Range(1, 3600)]
    public int CheckIntervalSeconds { get; set; } = 5;

    /// <summary>Longest wait between reconnection attempts while the store is unreachable.</summary>
    [Range(1, 3600)]
    public int ReconnectDelayMaxSeconds { get; set; } = 30;
}
