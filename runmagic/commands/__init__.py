"""The companion commands of ``%docker_run``: ps, logs, attach, exec, start, stop,
restart, kill, rm, port, inspect, wait, volume, network, events and pull.

Pure layers (no IPython, no docker): ``tables`` (the flag tables), ``gotemplate``,
``govalues`` and ``schemas`` (docker's ``--format``), ``format`` and ``layout``
(listings in docker's layout), ``reference``, ``timestamps``, ``gojson``,
``progress``, ``expand`` and ``errors``.

Execution, the only code here that talks to the engine: ``daemon`` (the Context,
requests, docker's error words), ``streams`` (output into the cell through
``runmagic.streaming`` and ``OutputSink``), and one module per family: ``ps``,
``logs``, ``attach`` (attach, start -a), ``execute``, ``lifecycle`` (start, stop,
restart, kill, rm, wait, port), ``inspect``, ``volumes``, ``networks``, ``events``,
``images`` (pull). ``session`` gives ContainerHandle methods a Context. Containers
are named as docker names them (full ID, unique prefix, name) by passing the name
to the engine, which resolves it and refuses an ambiguous prefix in docker's words.

``runmagic.command_magics`` is the IPython adapter.
"""
