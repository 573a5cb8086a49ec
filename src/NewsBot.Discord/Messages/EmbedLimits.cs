namespace NewsBot.Discord.Messages;

/// <summary>Discord's message and embed limits, checked before anything is sent (a violation is a 400).</summary>
internal static class EmbedLimits
{
    public const int Content = 2000;
    public const int EmbedsPerMessage = 10;
    public const int Title = 256;
    public const int Description = 4096;
    public const int Fields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int FooterText = 2048;
    public const int Total = 6000;

    /// <summary>Throws when content or embeds break a limit; the message says which.</summary>
    public static void Validate(string? content, IReadOnlyList<Embed>? embeds)
    {
        if (content is not null && content.Length > Content)
            throw new InvalidOperationException($"Message content has {content.Length} characters; Discord allows {Content}.");
        if (embeds is null)
            return;
        if (embeds.Count > EmbedsPerMessage)
            throw new InvalidOperationException($"A message has {embeds.Count} embeds; Discord allows {EmbedsPerMessage}.");

        var total = 0;
        foreach (var embed in embeds)
        {
            total += Check(embed.Title, Title, "embed title");
            total += Check(embed.Description, Description, "embed description");
            total += Check(embed.Footer?.Text, FooterText, "embed footer");
            var fields = embed.Fields ?? [];
            if (fields.Count > Fields)
                throw new InvalidOperationException($"An embed has {fields.Count} fields; Discord allows {Fields}.");
            foreach (var field in fields)
            {
                if (string.IsNullOrWhiteSpace(field.Name) || string.IsNullOrWhiteSpace(field.Value))
                    throw new InvalidOperationException("An embed field needs a non-blank name and value.");
                total += Check(field.Name, FieldName, "embed field name");
                total += Check(field.Value, FieldValue, "embed field value");
            }
        }

        if (total > Total)
            throw new InvalidOperationException($"The embeds of one message hold {total} characters; Discord allows {Total}.");
    }

    /// <summary>Discord trims before counting, so the trimmed length is what counts.</summary>
    public static int Measure(string? text) => text?.Trim().Length ?? 0;

    private static int Check(string? text, int limit, string what)
    {
        var length = Measure(text);
        if (length > limit)
            throw new InvalidOperationException($"The {what} has {length} characters; Discord allows {limit}.");
        return length;
    }
}
