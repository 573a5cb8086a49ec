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

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']+' members: '(?<member>[^']+)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
