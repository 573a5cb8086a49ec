using System.ComponentModel.DataAnnotations;

namespace NewsBot.Retrieval.Ann;

/// <summary>The approximate dense index used past <c>Retrieval:AnnThreshold</c> (section <c>Retrieval:Ann</c>).</summary>
public sealed class AnnOptions
{
    public const string Section = "Retrieval:Ann";

    /// <summary>Where the index file is kept; by default the folder of <c>Storage:IndexPath</c>, beside the store.</summary>
    public string? Directory { get; set; }

    /// <summary><c>i8</c> (default: a quarter of the memory of floats) or <c>f16</c> (half; slightly closer cosines).</summary>
    [RegularExpression("^(i8|f16)$", ErrorMessage = "Retrieval:Ann:Quantization must be i8 or f16.")]
    public string Quantization { get; set; } = "i8";

    /// <summary>HNSW links per node: more raise recall and memory.</summary>
    [Range(4, 64)]
    public int Connectivity { get; set; } = 16;

    /// <summary>Candidates weighed while linking a new vector: more raise build time and recall.</summary>
    [Range(8, 1024)]
    public int ExpansionAdd { get; set; } = 128;

    /// <summary>Candidates weighed per search: more raise latency and recall.</summary>
    [Range(8, 1024)]
    public int ExpansionSearch { get; set; } = 128;
}
