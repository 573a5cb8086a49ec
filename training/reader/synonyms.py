"""Question paraphrases for training: one content word that the question shares with its sentence is swapped for a
WordNet synonym the sentence does not use ("How many points did the defense surrender?" for "... give up?").

Why: SQuAD 2.0's unanswerable questions were written against their paragraphs, often by changing one word, so a reader
trained on them learns that a question word missing from the sentence means "no answer". Measured on the shipped
reader: "How many points did the Panthers defense give up?" scores 0.98 against "The Panthers defense gave up just 308
points ...", "... surrender?" 0.13. People ask in their own words. Rewriting answerable and unanswerable questions
alike keeps the missing word from telling the two apart, so the reader must weigh what the words mean.

Measured as a third stage and in all three stages (train.py --synonym-share 1) and not adopted: the reader's curve improved
where most questions are answered, but the engine on the held-out splits moved only inside its intervals, and the team's
seed-article sets and SQuAD's public questions read worse (README, "Reworded questions in the third stage").

WordNet 3.0 (Princeton, WordNet 3.0 licence, permissive) comes from Debian's wordnet-base package, read directly from
its data files: each word's most used sense, its other lemmas.
"""
import os
import re

WORDNET = "/usr/share/wordnet"
POS = ("verb", "noun", "adj", "adv")
WORD = re.compile(r"[A-Za-z]+")
# The second word of a phrasal verb ("set up"): the verb before it is not swapped alone.
PARTICLES = {"up", "down", "out", "off", "on", "in", "over", "away", "back", "through"}
SAME_PAST = set("set put cut hit let shut cost hurt quit spread split burst cast bet bid read".split())
# Words whose swap changes what is asked, not how: question words, auxiliaries, numbers' words.
KEEP = set("what which who whom whose when where why how many much did does do done is are was were be been being has have "
           "had can could would should will may might must not no one two three four five first second year years time".split())


class Thesaurus:
    def __init__(self, folder=WORDNET):
        self.synonyms = {pos: {} for pos in POS}
        self.base_of = {pos: {} for pos in POS}  # irregular form -> base (verb.exc, noun.exc, ...)
        self.past_of = {}  # verb base -> its irregular past, for re-inflecting a synonym
        usage = {}  # lemma -> (pos, how often its senses were tagged in SemCor) for its most used part of speech
        tagged = {pos: {} for pos in POS}
        first_sense = {pos: {} for pos in POS}
        words_of = {pos: {} for pos in POS}
        for pos in POS:
            with open(os.path.join(folder, f"data.{pos}"), encoding="latin-1") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    fields = line.split()
                    count = int(fields[3], 16)
                    words_of[pos][fields[0]] = [re.sub(r"\(.*\)$", "", w).replace("_", " ").lower() for w in fields[4:4 + 2 * count:2]]
            with open(os.path.join(folder, f"index.{pos}"), encoding="latin-1") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    fields = line.split()
                    lemma, synsets, pointers = fields[0].replace("_", " "), int(fields[2]), int(fields[3])
                    tagged[pos][lemma] = int(fields[5 + pointers])
                    first_sense[pos][lemma] = fields[-synsets]
                    if tagged[pos][lemma] > usage.get(lemma, (None, 0))[1]:
                        usage[lemma] = (pos, tagged[pos][lemma])
            with open(os.path.join(folder, f"{pos}.exc"), encoding="latin-1") as f:
                for line in f:
                    fields = line.split()
                    if len(fields) >= 2:
                        self.base_of[pos].setdefault(fields[0], fields[1])
                        # The simple past ("drew"), not the participle ("drawn"), where the file lists both.
                        if pos == "verb" and not fields[0].endswith(("ing", "s")):
                            known = self.past_of.get(fields[1])
                            if known is None or (known.endswith("n") and not fields[0].endswith("n")):
                                self.past_of[fields[1]] = fields[0]
        # Only a word's most used sense of its most used part of speech, and only synonyms people use (tagged in SemCor):
        # "center" stays a place, not "revolve about"; "points" does not become "designates".
        # A word used about as often as two parts of speech ("use", "partner", "building") is skipped: its synonym would
        # often be the wrong one.
        for lemma, (pos, count) in usage.items():
            if any(other != pos and 4 * tagged[other].get(lemma, 0) > count for other in POS):
                continue
            found = [w for w in words_of[pos].get(first_sense[pos][lemma], [])
                     if w != lemma and tagged[pos].get(w, 0) > 0 and all(WORD.fullmatch(p) for p in w.split())]
            if found:
                self.synonyms[pos][lemma] = found

    def bases(self, word):
        """(pos, base, suffix) readings of a lower-case word: an irregular form, or a regular inflection stripped."""
        out = []
        for pos in POS:
            if word in self.base_of[pos]:
                out.append((pos, self.base_of[pos][word], "past" if pos == "verb" else ""))
            if word in self.synonyms[pos]:
                out.append((pos, word, ""))
            for suffix, strip in (("ing", ("", "e")), ("ed", ("", "e")), ("es", ("",)), ("s", ("",))):
                if pos in ("adj", "adv") or not word.endswith(suffix) or len(word) <= len(suffix) + 2:
                    continue
                stem = word[: -len(suffix)]
                for extra in strip:
                    if stem + extra in self.synonyms[pos]:
                        out.append((pos, stem + extra, suffix))
                        break
        return out

    def inflect(self, phrase, suffix):
        """The phrase's first word inflected like the replaced word (a multi-word verb inflects its verb)."""
        if not suffix:
            return phrase
        head, _, rest = phrase.partition(" ")
        if suffix in ("past", "ed"):
            head = head if head in SAME_PAST else self.past_of.get(head, head + ("d" if head.endswith("e") else "ed"))
        elif suffix == "ing":
            head = (head[:-1] if head.endswith("e") and not head.endswith("ee") else head) + "ing"
        elif suffix in ("s", "es"):
            head = head + ("es" if head.endswith(("s", "sh", "ch", "x", "z")) else "s")
        return head + (" " + rest if rest else "")

    def rewrite(self, question, sentence, rng):
        """The question with one word it shares with the sentence swapped for a synonym the sentence lacks; None when no
        word has one."""
        sentence_words = {w.lower() for w in WORD.findall(sentence)}
        sentence_words |= {base for w in list(sentence_words) for _, base, _ in self.bases(w)}
        spots = []
        for m in WORD.finditer(question):
            word = m.group()
            lower = word.lower()
            if lower in KEEP or len(lower) < 3 or (word[0].isupper() and m.start() > 0):
                continue
            following = WORD.match(question, m.end() + 1)
            if following and following.group().lower() in PARTICLES:
                continue  # part of a phrasal verb ("set up"): swapping one word breaks it
            readings = self.bases(lower)
            if lower not in sentence_words and not any(base in sentence_words for _, base, _ in readings):
                continue
            options = []
            for pos, base, suffix in readings:
                for synonym in self.synonyms[pos].get(base, []):
                    if not set(synonym.split()) & sentence_words and synonym != base:
                        options.append(self.inflect(synonym, suffix))
            if options:
                spots.append((m, sorted(set(options))))
        if not spots:
            return None
        m, options = spots[rng.randrange(len(spots))]
        replacement = options[rng.randrange(len(options))]
        if m.group()[0].isupper():
            replacement = replacement[0].upper() + replacement[1:]
        return question[: m.start()] + replacement + question[m.end():]
