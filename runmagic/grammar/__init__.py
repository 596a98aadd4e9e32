"""The grammar of docker's command lines: pure, no IPython, no docker.

- ``run_flags``: the flag table of ``docker run``, the one source of truth for the
  parser, ``%docker_run?``, completion and the labextension (through ``export``);
- ``command_flags``: the flag tables of the companion commands (ps, logs, exec, image, ...);
- ``magics``: which command each magic runs (``docker_ps`` -> ``ps``), and which are cell magics;
- ``parser``: pflag's rules (grouping, ``--flag=value``, parsing that stops at the image)
  with docker's words for what it refuses;
- ``options``: the value types and checks of docker's ``opts`` package, per family;
- ``reference``: image references as distribution/reference parses and prints them;
- ``export``: the JSON export of every magic's table for the JupyterLab extension.
"""
