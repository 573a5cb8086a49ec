using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace NewsBot.Ingestion;

/// <summary>
/// HTML: picks the element holding the article (&lt;article&gt;, &lt;main&gt;, or the densest block of
/// paragraphs), removes page furniture (navigation, asides, footers, forms, scripts, share and newsletter
/// widgets), and walks what is left in reading order, one candidate paragraph per block element.
/// </summary>
internal static partial class HtmlPageParser
{
    private static readonly HtmlParserOptions Options = new() { IsScripting = false };

    // Never readable text.
    private static readonly HashSet<string> NonText = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button", "input", "select", "textarea",
        "object", "embed", "video", "audio", "img", "picture", "source", "map", "link", "meta", "head",
    };

    // Page structure that is furniture unless a broken template wraps the story itself in it.
    private static readonly HashSet<string> Furniture = new(StringComparer.OrdinalIgnoreCase)
    {
        "form", "nav", "aside", "footer", "dialog", "menu",
    };

    /// <summary>An element holding this share of the story's paragraph text is the story, whatever its class says.</summary>
    private const double StoryShare = 0.3;

    private static readonly HashSet<string> FurnitureRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "banner", "complementary", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "summary", "center", "ul", "body",
    };

    [GeneratedRegex(@"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|newsletter|subscribe|subscription|signup|paywall|related|recommended|recommendations|promo|advert|advertisement|ads?|ad-slot|sponsor|sponsored|cookie|consent|comments?|sidebar|popup|modal|toolbar|tags|more-stories|read-more|outbrain|taboola|footer|masthead|skip-link|visually-hidden|sr-only)(?:$|[\s_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FurnitureClass();

    [GeneratedRegex(@"(?:^|[\s_-])(?:byline|author|authors|contributor|dateline|timestamp|published|date)(?:$|[\s_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BylineClass();

    [GeneratedRegex(@"(?:^|[\s_-])(?:dek|standfirst|subtitle|subheadline|sub-headline|subhead|strapline|summary|excerpt|deck|description|lede-text)(?:$|[\s_-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DekClass();

    public static RawDocument Parse(string text)
    {
        var parser = new HtmlParser(Options);
        using var document = parser.ParseDocument(text);
        var body = document.Body;
        if (body is null)
            return new RawDocument([], TitleFromMarkup: false);

        var headline = body.QuerySelectorAll("h1").FirstOrDefault(h => !IsInsideFurniture(h) && Whitespace.Normalize(h.TextContent).Length > 0);
        var root = ChooseRoot(body);
        if (headline is not null && !root.Contains(headline))
            root = CommonAncestor(root, headline);

        RemoveFurniture(root, headline);

        var walker = new Walker(headline);
        walker.Visit(root, UnitHint.None);
        walker.Flush();

        var units = walker.Units;
        var titleFromMarkup = headline is not null;
        if (!titleFromMarkup)
        {
            var pageTitle = PageTitle(document);
            if (pageTitle is not null)
            {
                units.Insert(0, new RawUnit(pageTitle, UnitHint.Title));
                titleFromMarkup = true;
            }
        }

        return new RawDocument(units, titleFromMarkup);
    }

    /// <summary>The &lt;title&gt; without the " | Site name" tail: the longest of its parts.</summary>
    private static string? PageTitle(IHtmlDocument document)
    {
        var title = Whitespace.Normalize(document.Title ?? string.Empty);
        if (title.Length == 0)
            return null;
        return title.Split([" | ", " - ", " — ", " – ", " :: "], StringSplitOptions.TrimEntries)
            .MaxBy(part => part.Length);
    }

    private static IElement ChooseRoot(IElement body)
    {
        var total = ParagraphTextLength(body);

        // Teaser cards are <article>s too: the story is the one holding a real share of the page's prose.
        var article = body.QuerySelectorAll("article, [itemprop=articleBody]")
            .Where(e => !IsInsideFurniture(e))
            .MaxBy(ParagraphTextLength);
        if (article is not null && ParagraphTextLength(article) >= total * 0.3)
            return article;

        var main = body.QuerySelector("main, [role=main]");
        if (main is not null && ParagraphTextLength(main) >= total * 0.3)
            return main;

        return DensestContainer(body, total);
    }

    /// <summary>
    /// Without semantic markup: the deepest element that still holds most of the page's paragraph text,
    /// which works whether paragraphs are siblings or each wrapped in its own &lt;div&gt;.
    /// </summary>
    private static IElement DensestContainer(IElement body, int total)
    {
        if (total == 0)
            return body;

        var held = new Dictionary<IElement, int>();
        foreach (var p in body.QuerySelectorAll("p").Where(p => !IsInsideFurniture(p)))
        {
            var length = p.TextContent.Length;
            for (var e = p.ParentElement; e is not null && e != body; e = e.ParentElement)
                held[e] = held.GetValueOrDefault(e) + length;
        }

        IElement best = body;
        var bestDepth = 0;
        foreach (var (element, length) in held)
        {
            if (length < total * 0.6)
                continue;
            var depth = Depth(element);
            if (depth > bestDepth)
            {
                best = element;
                bestDepth = depth;
            }
        }

        return best;
    }

    private static int Depth(IElement element)
    {
        var depth = 0;
        for (var e = element.ParentElement; e is not null; e = e.ParentElement)
            depth++;
        return depth;
    }

    private static int RawParagraphTextLength(IElement element) =>
        element.QuerySelectorAll("p").Sum(p => p.TextContent.Length);

    private static int ParagraphTextLength(IElement element) =>
        element.QuerySelectorAll("p").Where(p => !IsInsideFurniture(p)).Sum(p => p.TextContent.Length);

    private static IElement CommonAncestor(IElement a, IElement b)
    {
        for (var candidate = a; candidate is not null; candidate = candidate.ParentElement)
        {
            if (candidate.Contains(b))
                return candidate;
        }

        return a.Owner!.Body!;
    }

    private static bool IsInsideFurniture(IElement element)
    {
        // Classes on <body> and <html> describe the page ("has-sidebar", "no-ads"), not furniture.
        for (var e = element.ParentElement; e is not null && e.LocalName is not ("body" or "html"); e = e.ParentElement)
        {
            if (e.LocalName is "nav" or "aside" or "footer" or "form" || IsFurnitureByAttributes(e))
                return true;
        }

        return false;
    }

    private static bool IsFurnitureByAttributes(IElement e)
    {
        var role = e.GetAttribute("role");
        if (role is not null && FurnitureRoles.Contains(role))
            return true;
        if (e.HasAttribute("hidden") || e.GetAttribute("aria-hidden") == "true")
            return true;
        var style = e.GetAttribute("style");
        if (style is not null && style.Replace(" ", string.Empty, StringComparison.Ordinal).Contains("display:none", StringComparison.OrdinalIgnoreCase))
            return true;
        var classes = $"{e.GetAttribute("class")} {e.GetAttribute("id")}";
        return classes.Length > 1 && FurnitureClass().IsMatch(classes);
    }

    private static void RemoveFurniture(IElement root, IElement? headline)
    {
        var story = RawParagraphTextLength(root);
        var doomed = new List<IElement>();
        foreach (var e in root.QuerySelectorAll("*"))
        {
            if (NonText.Contains(e.LocalName))
            {
                doomed.Add(e);
                continue;
            }

            if (headline is not null && e.Contains(headline))
                continue;
            var furniture = Furniture.Contains(e.LocalName) || IsFurnitureByAttributes(e)
                || e.LocalName == "header" && root.LocalName != "article";
            if (furniture && (story == 0 || RawParagraphTextLength(e) < story * StoryShare))
                doomed.Add(e);
        }

        foreach (var e in doomed)
            e.Remove();
    }

    /// <summary>Depth-first walk that emits one unit per block, splitting at &lt;br&gt;.</summary>
    private sealed class Walker(IElement? headline)
    {
        private readonly StringBuilder _text = new();
        private int _linkChars;
        private UnitHint _hint;

        public List<RawUnit> Units { get; } = [];

        public void Visit(INode node, UnitHint inherited)
        {
            switch (node)
            {
                case IText text:
                    _text.Append(text.Data);
                    if (node.ParentElement?.Closest("a") is not null)
                        _linkChars += text.Data.Trim().Length;
                    return;
                case IElement element:
                    VisitElement(element, inherited);
                    return;
            }
        }

        private void VisitElement(IElement element, UnitHint inherited)
        {
            if (element.LocalName == "br")
            {
                Flush();
                return;
            }

            var hint = HintFor(element, inherited);
            var isBlock = Blocks.Contains(element.LocalName);
            if (isBlock)
                Flush();
            _hint = hint;
            foreach (var child in element.ChildNodes)
            {
                Visit(child, hint);
                _hint = hint;
            }

            if (isBlock)
                Flush();
        }

        private UnitHint HintFor(IElement element, UnitHint inherited)
        {
            if (element == headline)
                return UnitHint.Title;
            switch (element.LocalName)
            {
                case "figcaption":
                    return UnitHint.Caption;
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    return UnitHint.Heading;
                case "li":
                    return inherited == UnitHint.None ? UnitHint.ListItem : inherited;
            }

            if (inherited != UnitHint.None)
                return inherited;
            var classes = $"{element.GetAttribute("class")} {element.GetAttribute("id")} {element.GetAttribute("rel")} {element.GetAttribute("itemprop")}";
            if (classes.Length <= 3)
                return UnitHint.None;
            if (BylineClass().IsMatch(classes))
                return UnitHint.Byline;
            return DekClass().IsMatch(classes) ? UnitHint.Dek : UnitHint.None;
        }

        public void Flush()
        {
            var text = Whitespace.Normalize(_text.ToString());
            var linkChars = _linkChars;
            _text.Clear();
            _linkChars = 0;
            if (text.Length == 0)
                return;

            // Lists of links (related stories, tags, menus) are navigation even without semantic markup.
            var nonSpace = text.Count(c => c != ' ');
            // Author names are usually links too, so bylines are exempt.
            if (linkChars >= nonSpace * 0.9 && Whitespace.CountWords(text) <= 20
                && _hint is UnitHint.None or UnitHint.ListItem or UnitHint.Heading && !LineRules.IsAuthorLine(text))
            {
                return;
            }

            Units.Add(new RawUnit(text, _hint));
        }
    }
}
