"""Ingestion: files, folders, web pages and feeds in; an ordered stream of articles out.

``readers`` turns inputs into items (articles or one-line failures), ``encoding`` reads the
encodings Arabic news comes in, ``html`` and ``pagedate`` take a page apart, ``feeds``
downloads pages from RSS/Atom feeds politely.
"""
