"""BERT-uncased WordPiece with character offsets, matching Microsoft.ML.Tokenizers' BertTokenizer
(LowerCaseBeforeTokenization, RemoveNonSpacingMarks) that NewsBot runs: the same ids from the same text,
checked by tests/NewsBot.Reader.Tests against cases this module writes."""
import unicodedata


def _is_whitespace(ch):
    if ch in " \t\n\r":
        return True
    return unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    def __init__(self, vocab_path):
        self.vocab = {}
        with open(vocab_path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                self.vocab[line.rstrip("\n")] = i
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.pad = self.vocab["[PAD]"]

    def _words(self, text):
        """Basic tokenization: yields (normalized word, start, end) with offsets into `text`."""
        chars = []  # (normalized char, original index)
        for i, ch in enumerate(text):
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                chars.append((" ", i))
                continue
            for n in unicodedata.normalize("NFD", ch.lower()):
                if unicodedata.category(n) == "Mn":
                    continue
                chars.append((n, i))
        word, start, end = [], None, None
        for n, i in chars:
            if n == " ":
                if word:
                    yield "".join(word), start, end
                word = []
                continue
            if _is_punctuation(n) or _is_cjk(ord(n)):
                if word:
                    yield "".join(word), start, end
                    word = []
                yield n, i, i + 1
                continue
            if not word:
                start = i
            word.append(n)
            end = i + 1
        if word:
            yield "".join(word), start, end

    def encode(self, text):
        """Returns (ids, offsets) with offsets (start, end) into `text`, no special tokens."""
        ids, offsets = [], []
        for word, start, end in self._words(text):
            if len(word) > 100:
                ids.append(self.unk)
                offsets.append((start, end))
                continue
            pieces, pos, bad = [], 0, False
            while pos < len(word):
                stop, found = len(word), None
                while pos < stop:
                    piece = word[pos:stop] if pos == 0 else "##" + word[pos:stop]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    stop -= 1
                if found is None:
                    bad = True
                    break
                pieces.append((found, pos, stop))
                pos = stop
            if bad:
                ids.append(self.unk)
                offsets.append((start, end))
                continue
            # Offsets inside a word: exact when normalization kept one char per original char.
            exact = (end - start) == len(word)
            for found, a, b in pieces:
                ids.append(found)
                offsets.append((start + a, start + b) if exact else (start, end))
        return ids, offsets
