"""Value parsers for ``docker run`` flags, with the docker CLI's semantics.

Pure functions: no IPython, no docker-py. Each module covers one concern of
docker's ``cli/command/container/opts.go`` ``parse()`` and the option types
in docker's ``opts`` package. Two kinds of errors are raised, as docker has
two moments of refusal:

* ``ValueError`` for what docker refuses while parsing the flags (an option
  type's ``Set``); the flag parser words it as
  ``invalid argument "V" for "--flag" flag: MSG``. These validators are
  collected in :data:`runmagic.opts.validators.PARSE_TIME_VALIDATORS`.
* :class:`runmagic.errors.UsageError` for what ``parse()`` refuses after all
  flags were read; docker prints ``docker: MSG`` and exits with 125.
"""
