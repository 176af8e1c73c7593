"""Offline geocoding of Arabic conflict news: gazetteer, toponym matching, resolution.

    from rasad.geo import default_geocoder
    from rasad.text.normalize import normalize
    for m in default_geocoder().mentions(normalize(text)):
        print(m.place.name_ar if m.place else None, m.precision, m.sublocation_ar)

The default index is built from package data on first use and cached under the user data
directory (``RASAD_HOME`` overrides it); ``rasad gazetteer import`` extends it.
"""
from __future__ import annotations

from rasad.geo.geocoder import Geocoder, default_geocoder
from rasad.geo.places import Place, PlaceMention

__all__ = ["Geocoder", "Place", "PlaceMention", "default_geocoder"]
