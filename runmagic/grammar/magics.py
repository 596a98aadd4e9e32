"""Which docker command each of runmagic's magics runs: pure data.

Read by the IPython adapters (the companion magics' ``%docker_ps?`` help) and by the JSON
export, so that the labextension highlights, completes and explains each magic's line with
the same table its magic parses it with.
"""

from __future__ import annotations

from runmagic.grammar import command_flags as tables
from runmagic.grammar.parser import RUN, Command

#: The companion magics, by name (without ``%``), and the command each one runs. A group's
#: magic (``%docker_volume``) takes the subcommand as its first word: ``%docker_volume ls``.
COMPANIONS: dict[str, tables.DockerCommand] = {
    "docker_ps": tables.PS,
    "docker_logs": tables.LOGS,
    "docker_attach": tables.ATTACH,
    "docker_exec": tables.EXEC,
    "docker_start": tables.START,
    "docker_stop": tables.STOP,
    "docker_restart": tables.RESTART,
    "docker_kill": tables.KILL,
    "docker_rm": tables.RM,
    "docker_port": tables.PORT,
    "docker_inspect": tables.INSPECT,
    "docker_wait": tables.WAIT,
    "docker_events": tables.EVENTS,
    "docker_pull": tables.PULL,
    "docker_volume": tables.VOLUME,
    "docker_network": tables.NETWORK,
    "docker_images": tables.IMAGES,
    "docker_history": tables.HISTORY,
    "docker_tag": tables.TAG,
    "docker_rmi": tables.RMI,
    "docker_diff": tables.DIFF,
    "docker_cp": tables.CP,
    "docker_image": tables.IMAGE,
    "docker_build": tables.BUILD,
    "docker_context": tables.CONTEXT,
}

#: Every magic and its command: ``%docker_run`` and the companions.
COMMANDS: dict[str, Command] = {"docker_run": RUN, **COMPANIONS}

#: The magics that are cell magics too (``%%docker_build``: the cell is the Dockerfile; for
#: the others it is the container's standard input).
CELL_MAGICS = frozenset({"docker_run", "docker_attach", "docker_exec", "docker_start", "docker_build"})
