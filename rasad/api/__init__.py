"""The review web app and REST API over the event store (``rasad serve``)."""
from __future__ import annotations

from rasad.api.app import ServeSettings, create_app

__all__ = ["ServeSettings", "create_app"]
