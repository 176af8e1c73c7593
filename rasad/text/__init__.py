"""Arabic text layer: normalisation with an offset map, sentences, tokens with clitics."""
from rasad.text.normalize import NormalizedText, normalize, normalize_key
from rasad.text.segment import Sentence, Token, sentences, tokens, word_keys

__all__ = ["NormalizedText", "normalize", "normalize_key", "Sentence", "Token",
           "sentences", "tokens", "word_keys"]
