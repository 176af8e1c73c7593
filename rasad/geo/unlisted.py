"""Settlements the gazetteer lacks, named after a cue word.

"قرية بلشون", "بلدة المعيصرة", "بين بلدتي الشعيتية والقليلية", "منطقة النشيمة": the cue says
a settlement (or a locality) is named even when no gazetteer knows it. Such a name is kept
as a place without coordinates, in the country and governorate its sentence (else its
article) points to, as ACLED codes villages it cannot locate. Only names that look like
names qualify: no stop word, function word, adjective or number, nothing already matched.
"""
from __future__ import annotations

import functools
from itertools import compress

from rasad.geo.match import Hit, _key_in, covered_tokens, lexicons
from rasad.lexicon import load_table
from rasad.text.segment import WORD_CACHE, Token, token_text

# Cue words whose unknown name is kept, and the precision it gets.
_CUES = {"settlement": 1, "district": 2}
_DISTRICT_WORDS = frozenset({"منطقه", "ناحيه"})
# Several settlements follow these ("بلدتي X وY", "قرى X وY وZ").
_PLURAL_ENDINGS = ("تي", "ات")
_PLURAL_WORDS = frozenset({"قري"})
_QUOTES = "\"'"
_PRONOUN_ENDINGS = ("هم", "هن", "هما", "كم")


@functools.cache
def name_heads() -> frozenset[str]:
    """First words of compound toponyms ("تل", "كفر", "عين"): the next word belongs too."""
    return frozenset(r["word"] for r in load_table("geo_name_heads", ("word",)))


def _gap_ok(text: str, left: Token, right: Token) -> tuple[bool, bool]:
    """(only spaces and quotes between, a quote among them)."""
    gap = text[left.end:right.start]
    return not gap.strip(" " + _QUOTES), any(q in gap for q in _QUOTES)


def _name_like(word: str, quoted: bool) -> bool:
    """A word that can be a toponym on its own."""
    lex = lexicons()
    if len(word) < 3 or not word.isalpha() or word.isascii():
        return False
    if word in lex.words or word in lex.sublocation_stops or word in lex.stoplist:
        return False
    if _key_in(Token(word, 0, len(word), 0), lex.words) and not quoted:
        return False
    if word.startswith("و") and not quoted:
        return False
    if not quoted and word.startswith(("لل", "بال", "كال", "فال")):
        return False
    if not quoted and len(word) >= 5 and word.startswith("م") and word.endswith("ه"):
        return False    # a participle agreeing with its cue: "قرية محاصرة", "بلدة مجاورة"
    if not quoted and len(word) >= 6 and word.endswith(_PRONOUN_ENDINGS):
        return False    # a noun with "their": "مخيم منازلهم" is their homes, no camp
    return word.startswith("ال") or not word.endswith("يه")    # "حدودية" is an adjective


@functools.lru_cache(maxsize=WORD_CACHE)
def _cue_kind_of(word: str) -> str | None:
    """The cue kind a word stands for; cached per word, since every token of every
    article is asked and the lexicons never change in a process."""
    if word.startswith(("ال", "وال", "بال")):
        return None        # "البلدة": the town already named
    lex = lexicons()
    cue = _key_in(Token(word, 0, len(word), 0), lex.cues)
    if cue is None:
        return None
    if lex.cues[cue] == "settlement" and not cue.startswith("عاصم"):
        return "settlement"
    return "district" if cue in _DISTRICT_WORDS else None


def _read_name(text: str, toks: list[Token], j: int, taken: set[int],
               listed: bool = False) -> tuple[int, int, int] | None:
    """Token range [j, k) of the name at token ``j`` and the offset where it starts; a
    listed name ("والقليلية") starts after its "و"."""
    if j >= len(toks) or j in taken:
        return None
    ok, quoted = _gap_ok(text, toks[j - 1], toks[j])
    word = toks[j].text
    if listed:
        if not word.startswith("و"):
            return None
        word = word[1:]
    if not ok or not _name_like(word, quoted):
        return None
    k = j + 1
    if k < len(toks) and k not in taken and _gap_ok(text, toks[j], toks[k])[0]:
        nxt = toks[k].text
        compound = word in name_heads() or (not word.startswith("ال") and nxt.startswith("ال")
                                            and not nxt.endswith(("يه", "ي")))
        if compound and _name_like(nxt, False):
            k += 1
    return j, k, toks[j].start + (1 if listed else 0)


def find_unlisted(text: str, toks: list[Token], hits: list[Hit]) -> list[Hit]:
    """Hits (without candidates) for unknown names after settlement and locality cues."""
    taken = covered_tokens(toks, [(h.word_start, max(h.end, h.span_end)) for h in hits])
    out: list[Hit] = []
    # one map over the tokens (cached per word) leaves the few cue words
    kinds = list(map(_cue_kind_of, map(token_text, toks[:-1])))
    for ti in compress(range(len(kinds)), kinds):
        tok, kind = toks[ti], kinds[ti]
        if kind is None or ti in taken:
            continue
        plural = tok.text.endswith(_PLURAL_ENDINGS) or tok.text in _PLURAL_WORDS
        found = _read_name(text, toks, ti + 1, taken)
        while found is not None:
            j, k, start = found
            out.append(_hit(text, tok, start, toks[k - 1].end, j, k, kind, first=not out
                            or out[-1].cue_kind is None or out[-1].span_start != tok.start))
            taken.update(range(ti, k))
            found = _read_name(text, toks, k, taken, listed=True) if plural else None
    return out


def _hit(text: str, cue: Token, start: int, end: int, j: int, k: int, kind: str,
         first: bool) -> Hit:
    hit = Hit(start, end, start, text[start:end], (), token=j, last_token=k - 1,
              cue=cue.text, cue_kind=kind, span_start=cue.start if first else start,
              span_end=end)
    hit.extra["unlisted"] = _CUES[kind]
    return hit
