"""A port of NewsBot.Core's SentenceSegmenter, so training pairs are cut where NewsBot cuts sentences."""

TITLES = set("Mr Mrs Ms Messrs Mme Dr Drs Prof Gen Gens Sen Sens Rep Reps Gov Govs Lt Col Sgt Capt Cmdr Cdr Adm Maj Brig "
             "Cpl Pvt Rev Hon Pres Supt Insp Det Amb Atty Rt St Ste Mt Ft Fr".split())
BEFORE_NUMBERS = set("no nos vol vols p pp art sec fig figs ch op nr tel ext approx jan feb mar apr jun jul aug sep sept oct "
                     "nov dec ca para ed".split())
NEVER = set("e.g i.e cf viz vs v approx".split())
AMBIGUOUS = set("inc ltd corp co cos jr sr etc bros llc plc ave blvd rd dept univ assn est al govt intl natl".split())
OPENERS = set("The A An He She It They We I You His Her Its Their Our My This That These Those There Here But And So Yet Or "
              "In On At For After Before When While As If Although Though Since Because However Meanwhile Still Also Some "
              "Many Most No Not One Officials According Then Now Last Earlier Later What Why How Who Where Both Each All "
              "Such Other Another More Several Under Despite During Among By With Without Asked Instead Even Only Yes "
              "Today Yesterday Sources".split())
TERMINAL = set(".!?\u2026")
CLOSING = set("\"')]\u201d\u2019\u00bb\u203a")
OPENING = set("\"'([{\u201c\u2018\u00ab\u2039")
LONG = 400


def _skip_space(t, i):
    while i < len(t) and t[i].isspace():
        i += 1
    return i


def _word(t, i):
    while i < len(t) and t[i] in OPENING:
        i += 1
    j = i
    while j < len(t) and (t[j].isalpha() or t[j] in "'\u2019"):
        j += 1
    return t[i:j]


def _is_boundary(t, s_start, term, run_end, nxt):
    first = t[nxt]
    if first.islower():
        return False
    if first in OPENING and nxt + 1 < len(t) and t[nxt + 1].islower():
        return False
    if run_end - term > 1 or t[term] != ".":
        return True
    ts = term
    while ts > s_start and not t[ts - 1].isspace():
        ts -= 1
    token = t[ts:term]
    while token and token[0] in OPENING:
        token = token[1:]
    if not token or token[-1] in CLOSING or not token[-1].isalnum():
        return True
    nw = _word(t, nxt)
    if token.isdigit():
        return ts > s_start
    if token in TITLES or token.lower() in NEVER:
        return False
    if token.lower() in BEFORE_NUMBERS and first.isdigit():
        return False
    if token.lower() in AMBIGUOUS or "." in token or (len(token) == 1 and token.isupper()):
        return nw in OPENERS or first in OPENING
    return True


def _add(t, spans, start, end):
    while end - start > LONG:
        cut = -1
        for i in range(start + 1, end - 1):
            if t[i] not in ";:" or not t[i + 1].isspace():
                continue
            if cut >= 0 and i - start > LONG:
                break
            cut = i
            if i - start > LONG:
                break
        if cut < 0:
            break
        spans.append((start, cut + 1))
        start = _skip_space(t, cut + 1)
    if end > start:
        spans.append((start, end))


def split(t):
    """Sentence spans (start, end) of a paragraph."""
    spans = []
    start = _skip_space(t, 0)
    i = start
    while i < len(t):
        if t[i] not in TERMINAL:
            i += 1
            continue
        run_end = i
        while run_end < len(t) and t[run_end] in TERMINAL:
            run_end += 1
        end = run_end
        while end < len(t) and t[end] in CLOSING:
            end += 1
        if end >= len(t):
            break
        if not t[end].isspace():
            i = run_end
            continue
        nxt = _skip_space(t, end)
        if nxt < len(t) and _is_boundary(t, start, i, run_end, nxt):
            _add(t, spans, start, end)
            start = nxt
        i = nxt
    last = len(t)
    while last > start and t[last - 1].isspace():
        last -= 1
    if last > start:
        _add(t, spans, start, last)
    return spans
