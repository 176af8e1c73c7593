"""Named errors. Every failure a user can meet is one of these, with a message that names
the input and the reason; the CLI maps them to exit codes, the API to HTTP statuses."""
from __future__ import annotations


class RasadError(Exception):
    """Base of every error rasad raises on purpose."""


class InputError(RasadError):
    """An input file, line or article cannot be read or is not an article."""


class LexiconError(RasadError):
    """A lexicon data file is malformed."""


class GazetteerError(RasadError):
    """The gazetteer index or an import file is missing or malformed."""


class StoreError(RasadError):
    """The event store cannot be opened or written."""


class SettingsError(RasadError):
    """A settings file or value is invalid."""
