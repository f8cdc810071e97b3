"""Format readers: each turns one file's bytes into a ``extractors.document.Document``."""
