"""Adapters: the database, the importers of office data formats and (later) the search index."""
