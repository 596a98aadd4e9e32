"""The companion commands of ``%docker_run``: ps, logs, attach, exec, start, stop,
restart, kill, rm, port, inspect, wait, volume, network, events and pull.

Pure layers (no IPython, no docker): ``tables`` (the flag tables), ``gotemplate``,
``govalues`` and ``schemas`` (docker's ``--format``), ``format`` and ``layout``
(listings in docker's layout), ``reference``, ``timestamps``, ``gojson``,
``progress``, ``expand`` and ``errors``. Execution, the only code here that talks to
the engine: ``daemon`` (context, requests), ``streams`` and one module per command
family. ``runmagic.command_magics`` is the IPython adapter.
"""
