namespace NewsBot.Host.Evaluation;

/// <summary>
/// Writes an eval set's passages or articles into a temporary seeds folder, one file per id. The id becomes the file name
/// and so the article's source id, which citations and the scorer look texts up by. An id that is not a plain file name
/// ("../notes", "a/b") would write outside the folder, and two equal ids would overwrite each other, so both are refused.
/// </summary>
internal static class EvalSeeds
{
    public static async Task WriteAsync(string seeds, string file, IEnumerable<EvalContext> articles, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, title, text) in articles)
        {
            if (string.IsNullOrWhiteSpace(id) || id is "." or ".." || id != Path.GetFileName(id) || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new InvalidDataException($"{file}: the id \"{id}\" is not a plain file name.");
            if (!seen.Add(id))
                throw new InvalidDataException($"{file}: the id \"{id}\" appears more than once.");
            await File.WriteAllTextAsync(Path.Combine(seeds, id + ".txt"), $"{(string.IsNullOrWhiteSpace(title) ? id : title)}\n\n{text}\n", cancellationToken);
        }
    }
}
