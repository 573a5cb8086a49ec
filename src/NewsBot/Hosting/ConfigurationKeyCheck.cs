using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NewsBot.Host.Hosting;

/// <summary>
/// Finds settings the options binder would drop in silence: keys that no registered options class has
/// (a misspelt key or section) and values that do not convert to their property's type (an id that is
/// not a number, dropped from a list). The known keys come from the service collection itself: every
/// options class registered there (through AddOptions/Configure/Validate) with a public constant
/// <c>Section</c> or <c>SectionName</c> naming the section it is bound to, walked through its properties.
/// </summary>
public static class ConfigurationKeyCheck
{
    /// <summary>Top-level keys and sections that belong to the .NET host rather than to an options class.</summary>
    private static readonly string[] HostSections = ["Logging", HostDefaults.ContentRootKey, HostDefaults.EnvironmentKey, HostDefaults.ApplicationKey];

    private static readonly Type[] OptionsServiceTypes =
        [typeof(IConfigureOptions<>), typeof(IPostConfigureOptions<>), typeof(IValidateOptions<>), typeof(IOptionsChangeTokenSource<>)];

    /// <summary>Each options class registered in <paramref name="services"/>, by the section it declares.</summary>
    public static IReadOnlyDictionary<string, Type> BoundSections(IServiceCollection services)
    {
        var sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var descriptor in services)
        {
            var serviceType = descriptor.ServiceType;
            if (!serviceType.IsGenericType || !OptionsServiceTypes.Contains(serviceType.GetGenericTypeDefinition()))
                continue;
            var optionsType = serviceType.GetGenericArguments()[0];
            if (SectionOf(optionsType) is { } section)
                sections.TryAdd(section, optionsType);
        }

        return sections;
    }

    /// <summary>The section an options class declares with a public constant <c>Section</c> or <c>SectionName</c>.</summary>
    public static string? SectionOf(Type optionsType) =>
        optionsType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is "Section" or "SectionName")
            ?.GetRawConstantValue() as string;

    /// <summary>One line per unknown key or unconvertible value, each naming the key as the user writes it.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration, IServiceCollection services)
    {
        var sections = BoundSections(services);
        var known = sections.SelectMany(s => KnownKeys(s.Key, s.Value)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var errors = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable().OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            var top = key.Split(':')[0];
            // A null value is a section holding other keys; those are checked themselves.
            if (value is null || top.StartsWith("//", StringComparison.Ordinal) || top.StartsWith('$') || HostSections.Contains(top, StringComparer.OrdinalIgnoreCase))
                continue;

            var resolved = Resolve(key, sections);
            if (resolved is null)
            {
                if (!IsPrefixOfKnown(key, known))
                    errors.Add(UnknownKey(key, known));
            }
            else if (resolved is { } leaf && leaf != typeof(object) && !string.IsNullOrEmpty(value) && !Converts(leaf, value))
            {
                errors.Add($"{key}: {Shown(value)} is not {Describe(leaf)}.");
            }
        }

        return errors;
    }

    /// <summary>
    /// The leaf type a key binds to; <see cref="object"/> for a section (a class, list or dictionary), which
    /// holds no value of its own; null when no options class has the key.
    /// </summary>
    private static Type? Resolve(string key, IReadOnlyDictionary<string, Type> sections)
    {
        var segments = key.Split(':');
        // Longest section first: "Ingestion:Chunking:MaxTokens" belongs to the Ingestion:Chunking class.
        foreach (var (section, type) in sections.OrderByDescending(s => s.Key.Length))
        {
            var sectionSegments = section.Split(':');
            if (segments.Length < sectionSegments.Length
                || !sectionSegments.Zip(segments).All(p => string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase)))
                continue;
            if (ResolveIn(type, segments.AsSpan(sectionSegments.Length)) is { } found)
                return found;
        }

        return null;
    }

    private static Type? ResolveIn(Type type, ReadOnlySpan<string> rest)
    {
        for (var depth = 0; depth < rest.Length; depth++)
        {
            if (IsLeaf(type))
                return null;
            if (ElementType(type) is { } element)
            {
                type = element; // a list index or a dictionary key: any name
                continue;
            }

            var name = rest[depth];
            var property = BindableProperties(type).FirstOrDefault(p => string.Equals(ConfigName(p), name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
                return null;
            type = property.PropertyType;
        }

        return IsLeaf(type) ? Nullable.GetUnderlyingType(type) ?? type : typeof(object);
    }

    /// <summary>Every key the options class has, for suggestions: lists and dictionaries end at their own key.</summary>
    internal static IEnumerable<string> KnownKeys(string prefix, Type type, int depth = 0)
    {
        if (depth > 8)
            yield break;
        foreach (var property in BindableProperties(type))
        {
            var key = $"{prefix}:{ConfigName(property)}";
            var propertyType = property.PropertyType;
            if (IsLeaf(propertyType) || ElementType(propertyType) is not null)
            {
                yield return key;
                continue;
            }

            foreach (var nested in KnownKeys(key, propertyType, depth + 1))
                yield return nested;
        }
    }

    private static bool IsPrefixOfKnown(string key, List<string> known) =>
        known.Any(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));

    private static string UnknownKey(string key, List<string> known)
    {
        var nearest = known.MinBy(k => Distance(key.ToUpperInvariant(), k.ToUpperInvariant()));
        return nearest is null
            ? $"{key} is not a NewsBot setting."
            : $"{key} is not a NewsBot setting; did you mean {nearest}?";
    }

    private static IEnumerable<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true }
                && (p.SetMethod is { IsPublic: true } || !IsLeaf(p.PropertyType)));

    private static string ConfigName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying == typeof(string) || underlying.IsPrimitive || underlying.IsEnum
            || TypeDescriptor.GetConverter(underlying).CanConvertFrom(typeof(string));
    }

    /// <summary>The element type of a list or array, or the value type of a dictionary; null for other types.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        var generic = type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>) || d == typeof(IEnumerable<>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
                ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (generic is null || !typeof(IEnumerable).IsAssignableFrom(type))
            return null;
        var arguments = generic.GetGenericArguments();
        return arguments[^1];
    }

    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>Longest value an error repeats: a number, a name or an id with a slip in it, but not a token or key pasted into the wrong setting.</summary>
    private const int LongestValueShown = 24;

    private static string Shown(string value) =>
        value.Length <= LongestValueShown ? $"'{value}'" : $"the value given ({value.Length} characters, not repeated here)";

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ when type == typeof(ulong) || type == typeof(long) || type == typeof(int) || type == typeof(uint) => "a whole number" + (type == typeof(ulong) ? " (ids are numbers)" : string.Empty),
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:05",
        _ when type == typeof(Uri) => "a URL",
        _ => "a valid " + type.Name,
    };

    /// <summary>Levenshtein distance, for the nearest known key.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
