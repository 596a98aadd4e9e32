"""docker's output formats: pure, no IPython, no docker.

- ``listing``: docker's ``formatter`` package (table/json/custom ``--format`` of listings);
- ``image_listing``: the same for ``images`` and ``history``;
- ``schemas``: the Go types docker decodes the engine's answers into (what ``{{.State}}`` prints);
- ``timestamps``: ``--since``/``--until`` as the Engine API client sends them;
- ``progress``: a pull's progress as text and HTML that a notebook updates in place.
"""
