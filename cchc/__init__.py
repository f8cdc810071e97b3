"""The edge a person touches: the ``cchc`` command line, the web app and the terminal review.

Nothing imports this package; it may import every layer below it (flows, pipeline, nlp, extractors).
"""
