using System.Globalization;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord.Commands;

/// <summary>
/// Who may run /reload. default_member_permissions only hides the command and server admins can
/// override it, so the check is repeated here on the invoker's effective permissions.
/// </summary>
internal sealed class AdminPolicy(IOptions<DiscordOptions> options)
{
    private const ulong Administrator = 1UL << 3;
    private const ulong ManageGuild = 1UL << 5;
    private readonly HashSet<string> _users = options.Value.AdminUserIds.Select(Id).ToHashSet();
    private readonly HashSet<string> _roles = options.Value.AdminRoleIds.Select(Id).ToHashSet();

    public bool IsAdmin(Interaction interaction)
    {
        if (interaction.Invoker is { } user && _users.Contains(user.Id))
            return true;
        var member = interaction.Member;
        if (member is null)
            return false;
        if (member.Roles?.Any(_roles.Contains) == true)
            return true;
        return ulong.TryParse(member.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions)
            && (permissions & (Administrator | ManageGuild)) != 0;
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
