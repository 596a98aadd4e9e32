"""What each docker command does, through the engine layer (no IPython, no docker-py).

- ``run``: ``docker run`` (the Runner: create, attach, start, stream, wait, the
  interrupt ladder); ``handle``: a container as a Python object (``-d``, ``%docker_ps`` rows);
- ``attach`` (attach, start -a), ``execute`` (exec), ``logs``, ``lifecycle`` (start,
  stop, restart, kill, rm, wait, port), ``ps``, ``inspect``, ``events``,
  ``volumes``, ``networks``;
- ``pull``, ``build``, ``image_list`` (images, history), ``image_manage`` (tag, rmi,
  prune, save, load, diff);
- ``context``: what a command runs with (the engine, the cell's writers, the
  streaming settings), and docker's way of reporting several failures.

Containers are named as docker names them (full ID, unique prefix, name) by passing
the name to the engine, which resolves it and refuses an ambiguous prefix in docker's
words. ``runmagic.ipython`` holds the IPython adapters.
"""
