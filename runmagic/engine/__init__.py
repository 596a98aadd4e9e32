"""The engine layer: the only code in runmagic that imports docker-py.

- :mod:`~runmagic.engine.endpoint`: which engine, resolved as the docker CLI does;
- :mod:`~runmagic.engine.client`: :class:`Engine`, one per endpoint, with every call runmagic
  makes, and :func:`engine_for`, the one factory (magics, completion, panels, the reaper and
  the Jupyter server extension all use it);
- :mod:`~runmagic.engine.errors`: docker-py's and the transport's exceptions as runmagic's;
- :mod:`~runmagic.engine.session`: the one stream session of run, attach, exec and logs;
- :mod:`~runmagic.engine.watcher`: the container events behind the live panels;
- :mod:`~runmagic.engine.reaper`: the helper process that outlives a dying kernel.
"""

from runmagic.engine.client import DEFAULT_TIMEOUT, Engine, connect, engine_for, forget
from runmagic.engine.endpoint import Endpoint, resolve
from runmagic.engine.session import StreamSession

__all__ = ["DEFAULT_TIMEOUT", "Engine", "Endpoint", "StreamSession", "connect", "engine_for", "forget",
           "resolve"]
