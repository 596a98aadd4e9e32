"""Value parsers for ``docker run`` flags, with the docker CLI's semantics.

Pure functions: no IPython, no docker-py. Each module covers one concern of
docker's ``cli/command/container/opts.go`` ``parse()`` and the option types
in docker's ``opts`` package (docker CLI v28.2):

* ``ports``: ``-p``/``--publish`` and ``--expose``
* ``volumes``: ``-v``, ``--tmpfs``, ``--mount``
* ``env``: ``-e``, ``--env-file``, ``-l``, ``--label-file``
* ``resources``: ``--ulimit``, ``--device``, ``--device-cgroup-rule``,
  blkio weight/throttle devices, ``--gpus``
* ``network``: ``--network`` and the endpoint settings, ``--link``,
  ``--add-host``, ``--dns``, ``--dns-search``, ``--mac-address``
* ``security``: ``--security-opt``, capabilities, ``--sysctl``
* ``container``: restart policy, log/storage options, healthcheck,
  namespace modes, swappiness, ``-a``, ``--pull``, ``--platform``
* ``validators``: ``PARSE_TIME_VALIDATORS`` for the flag parser

Two kinds of errors are raised, as docker has two moments of refusal:

* ``ValueError`` for what docker refuses while parsing the flags (an option
  type's ``Set``); the flag parser words it as
  ``invalid argument "V" for "--flag" flag: MSG``.
* :class:`runmagic.errors.UsageError` for what ``parse()`` refuses after all
  flags were read; docker prints ``docker: MSG`` and exits with 125.
"""
