namespace NewsBot.Summaries;

/// <summary>
/// The world's countries by the names news writing uses for them, each mapped to one name so that "US", "U.S." and
/// "United States" count as one. A closed list: unlike people and firms, a country shows no cue in the wording, but
/// there are only so many. Cities and regions are not in it.
/// </summary>
internal static class Countries
{
    // Each line: the name listed, then the other names it goes by in news text.
    private static readonly string[][] Names =
    [
        ["Afghanistan"], ["Albania"], ["Algeria"], ["Andorra"], ["Angola"], ["Antigua and Barbuda"], ["Argentina"], ["Armenia"],
        ["Australia"], ["Austria"], ["Azerbaijan"], ["Bahamas"], ["Bahrain"], ["Bangladesh"], ["Barbados"], ["Belarus"],
        ["Belgium"], ["Belize"], ["Benin"], ["Bhutan"], ["Bolivia"], ["Bosnia and Herzegovina", "Bosnia"], ["Botswana"],
        ["Brazil"], ["Brunei"], ["Bulgaria"], ["Burkina Faso"], ["Burundi"], ["Cambodia"], ["Cameroon"], ["Canada"],
        ["Cape Verde", "Cabo Verde"], ["Central African Republic"], ["Chad"], ["Chile"], ["China"], ["Colombia"], ["Comoros"],
        ["Democratic Republic of Congo", "Democratic Republic of the Congo", "DR Congo", "DRC"], ["Congo"], ["Costa Rica"],
        ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"], ["Croatia"], ["Cuba"], ["Cyprus"], ["Czech Republic", "Czechia"],
        ["Denmark"], ["Djibouti"], ["Dominica"], ["Dominican Republic"], ["Ecuador"], ["Egypt"], ["El Salvador"],
        ["Equatorial Guinea"], ["Eritrea"], ["Estonia"], ["Eswatini", "Swaziland"], ["Ethiopia"], ["Fiji"], ["Finland"],
        ["France"], ["Gabon"], ["Gambia"], ["Georgia"], ["Germany"], ["Ghana"], ["Greece"], ["Grenada"], ["Guatemala"],
        ["Guinea"], ["Guinea-Bissau"], ["Guyana"], ["Haiti"], ["Honduras"], ["Hungary"], ["Iceland"], ["India"], ["Indonesia"],
        ["Iran"], ["Iraq"], ["Ireland"], ["Israel"], ["Italy"], ["Jamaica"], ["Japan"], ["Jordan"], ["Kazakhstan"], ["Kenya"],
        ["Kiribati"], ["Kosovo"], ["Kuwait"], ["Kyrgyzstan"], ["Laos"], ["Latvia"], ["Lebanon"], ["Lesotho"], ["Liberia"],
        ["Libya"], ["Liechtenstein"], ["Lithuania"], ["Luxembourg"], ["Madagascar"], ["Malawi"], ["Malaysia"], ["Maldives"],
        ["Mali"], ["Malta"], ["Marshall Islands"], ["Mauritania"], ["Mauritius"], ["Mexico"], ["Micronesia"], ["Moldova"],
        ["Monaco"], ["Mongolia"], ["Montenegro"], ["Morocco"], ["Mozambique"], ["Myanmar", "Burma"], ["Namibia"], ["Nauru"],
        ["Nepal"], ["Netherlands", "Holland"], ["New Zealand"], ["Nicaragua"], ["Niger"], ["Nigeria"], ["North Korea"],
        ["North Macedonia", "Macedonia"], ["Norway"], ["Oman"], ["Pakistan"], ["Palau"], ["Palestine"], ["Panama"],
        ["Papua New Guinea"], ["Paraguay"], ["Peru"], ["Philippines"], ["Poland"], ["Portugal"], ["Qatar"], ["Romania"],
        ["Russia", "Russian Federation"], ["Rwanda"], ["Saint Kitts and Nevis"], ["Saint Lucia"],
        ["Saint Vincent and the Grenadines"], ["Samoa"], ["San Marino"], ["Saudi Arabia"], ["Senegal"], ["Serbia"],
        ["Seychelles"], ["Sierra Leone"], ["Singapore"], ["Slovakia"], ["Slovenia"], ["Solomon Islands"], ["Somalia"],
        ["South Africa"], ["South Korea"], ["South Sudan"], ["Spain"], ["Sri Lanka"], ["Sudan"], ["Suriname"],
        ["Sweden"], ["Switzerland"], ["Syria"], ["Taiwan"], ["Tajikistan"], ["Tanzania"], ["Thailand"],
        ["East Timor", "Timor-Leste"], ["Togo"], ["Tonga"], ["Trinidad and Tobago"], ["Tunisia"], ["Turkey", "Türkiye"],
        ["Turkmenistan"], ["Tuvalu"], ["Uganda"], ["Ukraine"], ["United Arab Emirates", "UAE"],
        ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"], ["England"], ["Scotland"], ["Wales"],
        ["Northern Ireland"], ["United States", "US", "U.S.", "USA", "U.S.A."], ["Uruguay"], ["Uzbekistan"], ["Vanuatu"],
        ["Vatican", "Vatican City", "Holy See"], ["Venezuela"], ["Vietnam"], ["Yemen"], ["Zambia"], ["Zimbabwe"],
    ];

    private static readonly Dictionary<string, string> Listed = Names
        .SelectMany(names => names.Select(name => (name, listed: names[0])))
        .ToDictionary(n => n.name, n => n.listed, StringComparer.Ordinal);

    /// <summary>The name the country is listed under, or null when the words name no country.</summary>
    public static string? Of(string name) => Listed.GetValueOrDefault(name);
}
