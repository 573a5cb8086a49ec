using System.ComponentModel.DataAnnotations;

namespace NewsBot.Ingestion;

/// <summary>Where articles come from and how they are cut for embedding (section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>False makes this process a follower: it serves the index others publish and never reads the seeds folder.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of articles (.txt, .md, .html, .htm); relative paths resolve against the current directory.</summary>
    [Required]
    public string SeedsPath { get; set; } = "seeds";

    /// <summary>Files larger than this are reported and skipped.</summary>
    [Range(1_000, 100_000_000)]
    public long MaxFileBytes { get; set; } = 5_000_000;

    /// <summary>Texts embedded per model call.</summary>
    [Range(1, 512)]
    public int EmbeddingBatchSize { get; set; } = 256;
}
