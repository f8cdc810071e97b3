"""Format readers: each turns one file's bytes into a ``pipeline.models.Document``."""
