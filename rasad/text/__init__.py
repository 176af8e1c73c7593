"""Arabic text layer: normalisation with an offset map, sentences, tokens with clitics."""
from __future__ import annotations

from typing import Any

from rasad.text.normalize import NormalizedText, normalize, normalize_key

__all__ = ["NormalizedText", "normalize", "normalize_key", "Sentence", "Token",
           "sentences", "tokens", "word_keys"]


def __getattr__(name: str) -> Any:
    # segment reads the proclitic lexicon, and the lexicon loader needs normalize: import lazily
    if name in {"Sentence", "Token", "sentences", "tokens", "word_keys"}:
        from rasad.text import segment

        return getattr(segment, name)
    raise AttributeError(name)
