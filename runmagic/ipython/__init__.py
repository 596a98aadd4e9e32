"""The IPython adapters: thin layers between a cell and the commands.

- ``run_magics``: ``%%docker_run``/``%docker_run`` and the ``DockerRun`` traitlets;
- ``command_magics``: the companion magics (``%docker_ps``, ``%docker_logs``, ...);
- ``completion``: tab completion of magic lines from the flag tables;
- ``expansion``: IPython's ``{var}``/``$var`` expansion that leaves Go templates intact.
"""
