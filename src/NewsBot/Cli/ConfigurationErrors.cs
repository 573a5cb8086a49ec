using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NewsBot.Host.Hosting;

namespace NewsBot.Host.Cli;

/// <summary>Turns options validation failures into lines that name the setting as the user writes it.</summary>
internal static partial class ConfigurationErrors
{
    /// <summary>
    /// "Answering:MaxQuestionLength: The field MaxQuestionLength must be between 10 and 4000." rather than the
    /// validator's "DataAnnotation validation failed for 'AnsweringOptions' members: …".
    /// </summary>
    public static IEnumerable<string> Describe(OptionsValidationException exception)
    {
        var section = ConfigurationKeyCheck.SectionOf(exception.OptionsType);
        foreach (var failure in exception.Failures)
        {
            var match = DataAnnotationFailure().Match(failure);
            yield return match.Success && section is not null
                ? $"{section}:{match.Groups["member"].Value}: {match.Groups["error"].Value}"
                : failure;
        }
    }

    /// <summary>
    /// A file that is not what it should be (a settings file, an eval set), in one line: its message, then each inner
    /// reason it does not already give, with a JSON syntax error's place counted from 1 as editors count lines (the
    /// parser's own "LineNumber: 2 | BytePositionInLine: 29" counts from 0).
    /// </summary>
    public static string Describe(InvalidDataException exception)
    {
        var text = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            var reason = JsonPlace().Replace(inner.Message, string.Empty);
            if (text.ToString().Contains(reason, StringComparison.Ordinal))
                continue;
            text.Append(' ').Append(reason);
            if (inner is JsonException { LineNumber: { } line, BytePositionInLine: { } position })
                text.Append($" (line {line + 1}, byte {position + 1})");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\s*(Path: \S* \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.$")]
    private static partial Regex JsonPlace();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']+' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
