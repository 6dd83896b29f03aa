"""glossator: offline translation of news articles with pinned terminology."""

__version__ = "0.1.0"
