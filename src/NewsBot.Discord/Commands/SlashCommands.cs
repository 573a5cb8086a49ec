namespace NewsBot.Discord.Commands;

/// <summary>The slash commands NewsBot registers, by bulk overwrite at start-up.</summary>
internal static class SlashCommands
{
    public const string Ask = "ask";
    public const string Summary = "summary";
    public const string Sources = "sources";
    public const string Reload = "reload";

    private const int StringOption = 3;
    private const int GuildContext = 0;
    private const int BotDmContext = 1;
    private const int GuildInstall = 0;

    /// <summary>MANAGE_GUILD (1 &lt;&lt; 5), sent as a string as the docs do.</summary>
    public const string ManageServerPermission = "32";

    public static IReadOnlyList<ApplicationCommand> Definitions(int maxQuestionLength) =>
    [
        new(Ask, "Ask a question about the news articles; the answer quotes them exactly",
            Options: [new(StringOption, "question", "What do you want to know?", Required: true, MinLength: 1, MaxLength: maxQuestionLength)],
            Contexts: [GuildContext, BotDmContext], IntegrationTypes: [GuildInstall]),
        new(Summary, "A cited summary of one article",
            Options:
            [
                new(StringOption, "source", "Which article (default: the one you last asked about, else a digest of the newest)", Autocomplete: true),
                new(StringOption, "length", "How long the summary should be", Choices:
                [
                    new("short", "short"),
                    new("medium", "medium"),
                    new("long", "long"),
                ]),
            ],
            Contexts: [GuildContext, BotDmContext], IntegrationTypes: [GuildInstall]),
        new(Sources, "List the indexed articles", Contexts: [GuildContext, BotDmContext], IntegrationTypes: [GuildInstall]),
        new(Reload, "Re-read the articles folder (Manage Server only)",
            DefaultMemberPermissions: ManageServerPermission, Contexts: [GuildContext], IntegrationTypes: [GuildInstall]),
    ];
}
