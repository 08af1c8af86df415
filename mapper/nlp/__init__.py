"""The NLP core: one article -> place mentions (geoparse, resolve) -> incidents (assemble).

`document` loads the spaCy pipeline once per process; `geoparse`, `toponyms`, `resolve` and
`counties` find and resolve place names; `events`, `counts`, `dates`, `actors`,
`attribution`, `background` and `places` annotate clauses; `assemble` builds incidents.
"""
