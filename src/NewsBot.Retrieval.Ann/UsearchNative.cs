using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace NewsBot.Retrieval.Ann;

/// <summary>
/// The two settings of USearch's C library that its .NET wrapper does not expose. A saved index opened from its file
/// takes the library's defaults rather than those it was built with (64 candidates per search, not the configured
/// 128), and the wrapper offers no way to change them; these calls do, through the handle it keeps private.
/// </summary>
internal static partial class UsearchNative
{
    private const string Library = "libusearch_c";

    private static readonly FieldInfo? Handle = typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>Whether this version of the wrapper lets the settings through (its private handle is where it was).</summary>
    public static bool Available => Handle?.FieldType == typeof(IntPtr);

    public static void SetExpansion(USearchIndex index, int add, int search)
    {
        var handle = HandleOf(index);
        usearch_change_expansion_add(handle, (nuint)add, out var error);
        ThrowIf(error);
        usearch_change_expansion_search(handle, (nuint)search, out error);
        ThrowIf(error);
    }

    public static int ExpansionSearch(USearchIndex index)
    {
        var expansion = usearch_expansion_search(HandleOf(index), out var error);
        ThrowIf(error);
        return checked((int)expansion);
    }

    private static IntPtr HandleOf(USearchIndex index) =>
        Available ? (IntPtr)Handle!.GetValue(index)! : throw new NotSupportedException("This USearch wrapper keeps no index handle where NewsBot expects it.");

    private static void ThrowIf(IntPtr error)
    {
        if (error != IntPtr.Zero)
            throw new USearchException(Marshal.PtrToStringAnsi(error) ?? "USearch reported an error");
    }

    [LibraryImport(Library)]
    private static partial void usearch_change_expansion_add(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport(Library)]
    private static partial void usearch_change_expansion_search(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport(Library)]
    private static partial nuint usearch_expansion_search(IntPtr index, out IntPtr error);
}
