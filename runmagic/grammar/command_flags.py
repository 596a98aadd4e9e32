"""The flag tables of the companion commands (docker CLI v28.2): pure data.

One :class:`DockerCommand` per docker command, read by the same pflag-rules
parser as ``docker run`` (:func:`runmagic.cli.parse_args`) and by the help
text ``%docker_ps?`` shows. Help lines are runmagic's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from runmagic.grammar.parser import Command
from runmagic.errors import UsageError
from runmagic.grammar.run_flags import BOOL, INT, LIST, MAP, STRING, Flag, Kind
from runmagic.golang import stdlib as _go
from runmagic.grammar.options.env import validate_env, validate_label


def _filter(value: str) -> tuple[str, str] | None:
    """docker's FilterOpt.Set: ``name=value``, the name lower-cased."""
    if value == "":
        return None
    if "=" not in value:
        raise ValueError("bad format of filter (expected name=value)")
    name, _, rest = value.partition("=")
    return name.strip().lower(), rest.strip()


def _csv(value: str) -> list[str]:
    """pflag's string slices: each value is a CSV record."""
    return _go.csv_first_record(value) if value else []


FILTER = Kind("filter", _filter, repeatable=True)


def filter_args(parsed) -> dict[str, list[str]]:
    """The ``--filter`` values of a parsed line, by name (empty ones dropped)."""
    filters: dict[str, list[str]] = {}
    for item in parsed.get("filter"):
        if item is not None:
            filters.setdefault(item[0], []).append(item[1])
    return filters
STRINGS = Kind("strings", _csv, repeatable=True)


@dataclass(frozen=True)
class DockerCommand(Command):
    """A companion command, which may group subcommands."""

    #: The subcommands of a group (``docker volume``), name -> command.
    subcommands: tuple[tuple[str, "DockerCommand"], ...] = ()


def _help_flag() -> Flag:
    return Flag("help", BOOL, "Print usage", short="h", hidden=True)


def _format_flag(table: bool, short: str = "") -> Flag:
    forms = "'table', 'table TEMPLATE', 'json' or a Go TEMPLATE" if table else "'json' or a Go TEMPLATE"
    return Flag("format", STRING, f"Format the output: {forms}", short=short)


def _command(name, usage, summary, flags, min_args=0, max_args=None, interspersed=True,
             cobra_exact_args=False):
    return DockerCommand(name, usage, summary, (*flags, _help_flag()), min_args, max_args,
                         interspersed, aliases=_ALIASES.get(name, ""), cobra_exact_args=cobra_exact_args)


#: docker's "Aliases:" lines.
_ALIASES = {
    "ps": "docker container ls, docker container list, docker container ps, docker ps",
    "rm": "docker container rm, docker container remove, docker rm",
    "events": "docker system events, docker events",
    "pull": "docker image pull, docker pull",
    "volume ls": "docker volume ls, docker volume list",
    "volume rm": "docker volume rm, docker volume remove",
    "network ls": "docker network ls, docker network list",
    "network rm": "docker network rm, docker network remove",
    "context ls": "docker context ls, docker context list",
    "context rm": "docker context rm, docker context remove",
    **{name: f"docker container {name}, docker {name}" for name in (
        "logs", "attach", "exec", "start", "stop", "restart", "kill", "port", "wait")},
}


PS = _command("ps", "docker ps [OPTIONS]", "List containers", (
    Flag("all", BOOL, "Show all containers (by default only running ones)", short="a"),
    Flag("filter", FILTER, "Filter the list (name=value)", short="f"),
    _format_flag(table=True),
    Flag("last", INT, "Show the n most recently created containers, in any state", short="n",
         default=-1),
    Flag("latest", BOOL, "Show the most recently created container, in any state", short="l"),
    Flag("no-trunc", BOOL, "Do not shorten IDs, commands and names"),
    Flag("quiet", BOOL, "Show only container IDs", short="q"),
    Flag("size", BOOL, "Show the containers' disk sizes", short="s"),
), max_args=0)

LOGS = _command("logs", "docker logs [OPTIONS] CONTAINER", "Fetch the logs of a container", (
    Flag("details", BOOL, "Show the extra attributes given to the log driver"),
    Flag("follow", BOOL, "Keep streaming new output", short="f"),
    Flag("since", STRING, "Only logs since a time (2013-01-02T13:23:37Z) or for a duration (42m)"),
    Flag("tail", STRING, "Number of lines to show from the end", short="n", default="all"),
    Flag("timestamps", BOOL, "Prefix each line with its timestamp", short="t"),
    Flag("until", STRING, "Only logs before a time (2013-01-02T13:23:37Z) or a duration ago (42m)",
         min_api="1.35"),
), min_args=1, max_args=1)

ATTACH = _command(
    "attach", "docker attach [OPTIONS] CONTAINER",
    "Attach to a running container's input, output and error streams", (
        Flag("detach-keys", STRING, "Key sequence that detaches from the container"),
        Flag("no-stdin", BOOL, "Do not attach the container's standard input"),
        Flag("sig-proxy", BOOL, "Forward an interrupt to the container as SIGINT", default=True),
    ), min_args=1, max_args=1)

EXEC = _command(
    "exec", "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
    "Run a command in a running container", (
        Flag("detach", BOOL, "Run the command in the background", short="d"),
        Flag("detach-keys", STRING, "Key sequence that detaches from the command"),
        Flag("env", LIST, "Set an environment variable (NAME=VALUE, or NAME to pass the kernel's)",
             short="e", validate=validate_env, min_api="1.25"),
        Flag("env-file", LIST, "Read environment variables from a file", min_api="1.25",
             completes="file"),
        Flag("interactive", BOOL, "Keep standard input open (a cell body is sent to it)", short="i"),
        Flag("privileged", BOOL, "Give the command extended privileges"),
        Flag("tty", BOOL, "Allocate a pseudo-TTY", short="t"),
        Flag("user", STRING, "User to run as (<name|uid>[:<group|gid>])", short="u"),
        Flag("workdir", STRING, "Working directory inside the container", short="w",
             min_api="1.35"),
    ), min_args=2, interspersed=False)

START = _command(
    "start", "docker start [OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", (
        Flag("attach", BOOL, "Attach to the output and forward an interrupt", short="a"),
        Flag("detach-keys", STRING, "Key sequence that detaches from the container"),
        Flag("interactive", BOOL, "Attach the container's standard input (the cell body)", short="i"),
    ), min_args=1)


def _stop_flags(what: str) -> tuple[Flag, ...]:
    return (
        Flag("signal", STRING, f"Signal to {what} with (needs API 1.42)", short="s",
             completes="signal"),
        Flag("timeout", INT, "Seconds to wait before killing the container", short="t", default=0),
        Flag("time", INT, "Deprecated spelling of --timeout", default=0, hidden=True),
    )


STOP = _command("stop", "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
                "Stop one or more running containers", _stop_flags("stop"), min_args=1)
RESTART = _command("restart", "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
                   "Restart one or more containers", _stop_flags("stop"), min_args=1)
KILL = _command("kill", "docker kill [OPTIONS] CONTAINER [CONTAINER...]",
                "Kill one or more running containers", (
                    Flag("signal", STRING, "Signal to send (SIGKILL by default)", short="s",
                         completes="signal"),
                ), min_args=1)
RM = _command("rm", "docker rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", (
    Flag("force", BOOL, "Remove running containers too (they are killed)", short="f"),
    Flag("link", BOOL, "Remove the named link, not the container", short="l"),
    Flag("volumes", BOOL, "Remove the containers' anonymous volumes too", short="v"),
), min_args=1)
PORT = _command("port", "docker port CONTAINER [PRIVATE_PORT[/PROTO]]",
                "List a container's published ports, or one of them", (), min_args=1, max_args=2)
INSPECT = _command("inspect", "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
                   "Show low-level information on Docker objects", (
                       _format_flag(table=False, short="f"),
                       Flag("size", BOOL, "Show total file sizes (containers)", short="s"),
                       Flag("type", STRING, "Only look for objects of this type",
                            choices=("config", "container", "image", "network", "node", "plugin",
                                     "secret", "service", "task", "volume")),
                   ), min_args=1)
WAIT = _command("wait", "docker wait CONTAINER [CONTAINER...]",
                "Wait until containers stop, then print their exit statuses", (), min_args=1)
PULL = _command("pull", "docker pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", (
    Flag("all-tags", BOOL, "Download every tag of the repository", short="a"),
    Flag("disable-content-trust", BOOL, "Skip image verification", default=True),
    Flag("platform", STRING, "Platform to pull (os[/arch[/variant]])", min_api="1.32"),
    Flag("quiet", BOOL, "Show only the image reference", short="q"),
), min_args=1, max_args=1)
EVENTS = _command("events", "docker events [OPTIONS]", "Stream the engine's events", (
    Flag("filter", FILTER, "Filter the events (name=value)", short="f"),
    _format_flag(table=False),
    Flag("since", STRING, "Show events since a time (or for a duration: 10m)"),
    Flag("until", STRING, "Stop at a time (or a duration ago: 10m)"),
), max_args=0)

VOLUME_CREATE = _command("volume create", "docker volume create [OPTIONS] [VOLUME]", "Create a volume", (
    Flag("driver", STRING, "Volume driver", short="d", default="local"),
    Flag("label", LIST, "Set a label (KEY=VALUE)", validate=validate_label),
    Flag("name", STRING, "Name of the volume", hidden=True),
    Flag("opt", MAP, "Driver option (KEY=VALUE)", short="o"),
), max_args=1)
VOLUME_LS = _command("volume ls", "docker volume ls [OPTIONS]", "List volumes", (
    Flag("filter", FILTER, "Filter the list (dangling=true, label=..., name=...)", short="f"),
    _format_flag(table=True),
    Flag("quiet", BOOL, "Show only volume names", short="q"),
), max_args=0)
VOLUME_INSPECT = _command("volume inspect", "docker volume inspect [OPTIONS] VOLUME [VOLUME...]",
                          "Show detailed information on volumes",
                          (_format_flag(table=False, short="f"),), min_args=1)
VOLUME_RM = _command("volume rm", "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
                     "Remove volumes that no container uses", (
                         Flag("force", BOOL, "Remove the volumes even when the driver fails", short="f",
                              min_api="1.25"),
                     ), min_args=1)
VOLUME_PRUNE = _command("volume prune", "docker volume prune [OPTIONS]", "Remove unused local volumes", (
    Flag("all", BOOL, "Remove all unused volumes, not only anonymous ones", short="a",
         min_api="1.42"),
    Flag("filter", FILTER, "Only volumes matching (label=...)"),
    Flag("force", BOOL, "Do not ask for confirmation", short="f"),
), max_args=0)

NETWORK_CREATE = _command("network create", "docker network create [OPTIONS] NETWORK", "Create a network", (
    Flag("attachable", BOOL, "Allow containers to be attached manually", min_api="1.25"),
    Flag("aux-address", MAP, "Auxiliary IPv4 or IPv6 address for the driver (NAME=IP)"),
    Flag("config-from", STRING, "Network to copy the configuration from", min_api="1.30"),
    Flag("config-only", BOOL, "Create a configuration-only network", min_api="1.30"),
    Flag("driver", STRING, "Network driver", short="d", default="bridge"),
    Flag("gateway", STRINGS, "IPv4 or IPv6 gateway of a subnet"),
    Flag("ingress", BOOL, "Create a swarm routing-mesh network", min_api="1.29"),
    Flag("internal", BOOL, "No access from or to outside the network"),
    Flag("ip-range", STRINGS, "Allocate container addresses from a sub-range"),
    Flag("ipam-driver", STRING, "IP address management driver", default="default"),
    Flag("ipam-opt", MAP, "IPAM driver option (KEY=VALUE)"),
    Flag("ipv4", BOOL, "Assign IPv4 addresses", default=True),
    Flag("ipv6", BOOL, "Assign IPv6 addresses"),
    Flag("label", LIST, "Set a label (KEY=VALUE)", validate=validate_label),
    Flag("opt", MAP, "Driver option (KEY=VALUE)", short="o"),
    Flag("scope", STRING, "Scope of the network", min_api="1.30"),
    Flag("subnet", STRINGS, "Subnet in CIDR form"),
), min_args=1, max_args=1)
NETWORK_LS = _command("network ls", "docker network ls [OPTIONS]", "List networks", (
    Flag("filter", FILTER, "Filter the list (driver=bridge, label=..., name=...)", short="f"),
    _format_flag(table=True),
    Flag("no-trunc", BOOL, "Do not shorten IDs"),
    Flag("quiet", BOOL, "Show only network IDs", short="q"),
), max_args=0)
NETWORK_INSPECT = _command("network inspect", "docker network inspect [OPTIONS] NETWORK [NETWORK...]",
                           "Show detailed information on networks", (
                               _format_flag(table=False, short="f"),
                               Flag("verbose", BOOL, "Include diagnostic details", short="v"),
                           ), min_args=1)
NETWORK_RM = _command("network rm", "docker network rm NETWORK [NETWORK...]", "Remove networks", (
    Flag("force", BOOL, "Do not fail when a network does not exist", short="f"),
), min_args=1)
NETWORK_CONNECT = _command("network connect", "docker network connect [OPTIONS] NETWORK CONTAINER",
                           "Connect a container to a network", (
                               Flag("alias", STRINGS, "Network-scoped alias of the container"),
                               Flag("driver-opt", STRINGS, "Driver option for the endpoint"),
                               Flag("gw-priority", INT, "Gateway priority (the highest provides the "
                                    "default gateway)", default=0),
                               Flag("ip", STRING, "IPv4 address (e.g., 172.30.100.104)"),
                               Flag("ip6", STRING, "IPv6 address (e.g., 2001:db8::33)"),
                               Flag("link", LIST, "Link another container (NAME[:ALIAS])"),
                               Flag("link-local-ip", STRINGS, "Link-local address of the container"),
                           ), min_args=2, max_args=2)
NETWORK_DISCONNECT = _command("network disconnect", "docker network disconnect [OPTIONS] NETWORK CONTAINER",
                              "Disconnect a container from a network", (
                                  Flag("force", BOOL, "Disconnect even if the container is not "
                                       "running", short="f"),
                              ), min_args=2, max_args=2)

VOLUME = DockerCommand("volume", "docker volume COMMAND", "Manage volumes", (_help_flag(),),
                       subcommands=tuple((c.name.split()[1], c) for c in (
                           VOLUME_CREATE, VOLUME_INSPECT, VOLUME_LS, VOLUME_PRUNE, VOLUME_RM)))
NETWORK = DockerCommand("network", "docker network COMMAND", "Manage networks", (_help_flag(),),
                        subcommands=tuple((c.name.split()[1], c) for c in (
                            NETWORK_CONNECT, NETWORK_CREATE, NETWORK_DISCONNECT, NETWORK_INSPECT,
                            NETWORK_LS, NETWORK_RM)))

CONTEXT_CREATE = _command("context create", "docker context create [OPTIONS] CONTEXT", "Create a context", (
    Flag("description", STRING, "Description of the context"),
    Flag("docker", STRINGS, "The docker endpoint: host=, ca=, cert=, key=, skip-tls-verify=, from="),
    Flag("from", STRING, "Create the context from a named context"),
), min_args=1, max_args=1)
CONTEXT_INSPECT = _command(
    "context inspect", "docker context inspect [OPTIONS] [CONTEXT] [CONTEXT...]",
    "Display detailed information on one or more contexts", (_format_flag(table=False, short="f"),))
CONTEXT_LS = _command("context ls", "docker context ls [OPTIONS]", "List contexts", (
    _format_flag(table=True),
    Flag("quiet", BOOL, "Only show context names", short="q"),
), max_args=0)
CONTEXT_RM = _command("context rm", "docker context rm CONTEXT [CONTEXT...]", "Remove one or more contexts", (
    Flag("force", BOOL, "Force the removal of a context in use", short="f"),
), min_args=1)
CONTEXT_SHOW = _command("context show", "docker context show", "Print the name of the current context", (),
                        max_args=0)
CONTEXT_USE = _command("context use", "docker context use CONTEXT", "Set the current docker context", (),
                       min_args=1, max_args=1, cobra_exact_args=True)
CONTEXT = DockerCommand("context", "docker context COMMAND", "Manage contexts", (_help_flag(),),
                        subcommands=tuple((c.name.split()[1], c) for c in (
                            CONTEXT_CREATE, CONTEXT_INSPECT, CONTEXT_LS, CONTEXT_RM, CONTEXT_SHOW,
                            CONTEXT_USE)))

#: Aliases docker accepts for subcommands.
SUBCOMMAND_ALIASES = {"list": "ls", "remove": "rm"}


def group_usage(group: DockerCommand) -> str:
    """``docker volume --help``: the group's subcommands."""
    width = max(len(name) for name, _ in group.subcommands) + 2
    lines = [f"Usage:  {group.usage}", "", group.summary, "", "Commands:"]
    lines += [f"  {name.ljust(width)}{command.summary}" for name, command in group.subcommands]
    lines += ["", f"Run 'docker {group.name} COMMAND --help' for more information on a command."]
    return "\n".join(lines)


def subcommand(group: DockerCommand, name: str) -> DockerCommand:
    """The subcommand ``name`` of ``group``; an unknown one gets docker's error."""
    commands = dict(group.subcommands)
    found = commands.get(SUBCOMMAND_ALIASES.get(name, name))
    if found is None:
        raise UsageError(f"unknown command: docker {group.name} {name}", exit_status=1)
    return found


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def check_api_version(parsed, api_version: str) -> None:
    """docker refuses a flag the engine's API version does not know (status 1)."""
    for name in sorted(parsed.given):
        needed = parsed.command.by_name[name].min_api
        if needed and _version(api_version) < _version(needed):
            raise UsageError(
                f'"--{name}" requires API version {needed}, but the Docker daemon API version '
                f"is {api_version}", exit_status=1)


# ------------------------------------------------------------------ images

from runmagic.grammar.options.validators import PARSE_TIME_VALIDATORS  # noqa: E402
from runmagic.grammar.run_flags import BYTES, ULIMIT  # noqa: E402

_ALIASES.update({
    "images": "docker image ls, docker image list, docker images",
    "image ls": "docker image ls, docker image list, docker images",
    "history": "docker image history, docker history",
    "image history": "docker image history, docker history",
    "rmi": "docker image rm, docker image remove, docker rmi",
    "image rm": "docker image rm, docker image remove, docker rmi",
    "tag": "docker image tag, docker tag",
    "image tag": "docker image tag, docker tag",
    "image save": "docker image save, docker save",
    "image load": "docker image load, docker load",
    "diff": "docker container diff, docker diff",
    "cp": "docker container cp, docker cp",
    "build": "docker image build, docker build, docker builder build",
})


def _images_flags() -> tuple[Flag, ...]:
    return (
        Flag("all", BOOL, "Show all images (intermediate ones too)", short="a"),
        Flag("digests", BOOL, "Show digests"),
        Flag("filter", FILTER, "Filter the list (dangling=true, label=..., reference=...)",
             short="f"),
        _format_flag(table=True),
        Flag("no-trunc", BOOL, "Do not shorten IDs"),
        Flag("quiet", BOOL, "Show only image IDs", short="q"),
    )


def _history_flags() -> tuple[Flag, ...]:
    return (
        _format_flag(table=True),
        Flag("human", BOOL, "Sizes and dates in human-readable form", short="H", default=True),
        Flag("no-trunc", BOOL, "Do not shorten the output"),
        Flag("quiet", BOOL, "Show only image IDs", short="q"),
    )


def _rmi_flags() -> tuple[Flag, ...]:
    return (
        Flag("force", BOOL, "Remove the image even if containers use it", short="f"),
        Flag("no-prune", BOOL, "Do not delete untagged parents"),
    )


IMAGES = _command("images", "docker images [OPTIONS] [REPOSITORY[:TAG]]", "List images",
                  _images_flags(), max_args=1)
IMAGE_LS = _command("image ls", "docker image ls [OPTIONS] [REPOSITORY[:TAG]]", "List images",
                    _images_flags(), max_args=1)
IMAGE_INSPECT = _command("image inspect", "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
                         "Show detailed information on one or more images",
                         (_format_flag(table=False, short="f"),), min_args=1)
HISTORY = _command("history", "docker history [OPTIONS] IMAGE", "Show the history of an image",
                   _history_flags(), min_args=1, max_args=1)
IMAGE_HISTORY = _command("image history", "docker image history [OPTIONS] IMAGE",
                         "Show the history of an image", _history_flags(), min_args=1, max_args=1)
RMI = _command("rmi", "docker rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images",
               _rmi_flags(), min_args=1)
IMAGE_RM = _command("image rm", "docker image rm [OPTIONS] IMAGE [IMAGE...]",
                    "Remove one or more images", _rmi_flags(), min_args=1)
TAG = _command("tag", "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
               "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (), min_args=2, max_args=2)
IMAGE_TAG = _command("image tag", "docker image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                     "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", (), min_args=2,
                     max_args=2)
IMAGE_PRUNE = _command("image prune", "docker image prune [OPTIONS]", "Remove unused images", (
    Flag("all", BOOL, "Remove all unused images, not just dangling ones", short="a"),
    Flag("filter", FILTER, "Only images matching (until=..., label=...)"),
    Flag("force", BOOL, "Do not ask for confirmation", short="f"),
), max_args=0)
IMAGE_SAVE = _command("image save", "docker image save [OPTIONS] IMAGE [IMAGE...]",
                      "Save one or more images to a tar archive", (
                          Flag("output", STRING, "Write to a file (a notebook cannot take the "
                               "archive on its output)", short="o", completes="file"),
                      ), min_args=1)
IMAGE_LOAD = _command("image load", "docker image load [OPTIONS]",
                      "Load an image from a tar archive", (
                          Flag("input", STRING, "Read from a tar archive file", short="i",
                               completes="file"),
                          Flag("quiet", BOOL, "Suppress the load output", short="q"),
                      ), max_args=0)
DIFF = _command("diff", "docker diff CONTAINER",
                "Inspect changes to files or directories on a container's filesystem", (),
                min_args=1, max_args=1)
CP = _command(
    "cp", "docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- "
    "CONTAINER:DEST_PATH", "Copy files/folders between a container and the local filesystem", (
        Flag("archive", BOOL, "Archive mode (copy all uid/gid information)", short="a"),
        Flag("follow-link", BOOL, "Always follow symbol link in SRC_PATH", short="L"),
        Flag("quiet", BOOL, "Suppress progress output during copy", short="q"),
    ), min_args=2, max_args=2)
BUILD = _command(
    "build", "docker build [OPTIONS] PATH", "Build an image from a Dockerfile (the cell body)", (
        Flag("add-host", LIST, "Add a custom host-to-IP mapping (host:ip)",
             validate=PARSE_TIME_VALIDATORS["add-host"]),
        Flag("build-arg", LIST, "Set build-time variables"),
        Flag("file", STRING, "Name of the Dockerfile (instead of the cell body)", short="f",
             completes="file"),
        Flag("force-rm", BOOL, "Always remove intermediate containers"),
        Flag("iidfile", STRING, "Write the image ID to the file", completes="file"),
        Flag("label", LIST, "Set metadata for an image", validate=validate_label),
        Flag("network", STRING, "Set the networking mode for the RUN instructions during build",
             default="default", completes="network"),
        Flag("no-cache", BOOL, "Do not use cache when building the image"),
        Flag("platform", STRING, "Set platform if server is multi-platform capable",
             min_api="1.38"),
        Flag("pull", BOOL, "Always attempt to pull a newer version of the image"),
        Flag("quiet", BOOL, "Suppress the build output and print image ID on success", short="q"),
        Flag("rm", BOOL, "Remove intermediate containers after a successful build",
             default=True),
        Flag("shm-size", BYTES, "Size of /dev/shm", default=0),
        Flag("tag", LIST, "Name and optionally a tag in the \"name:tag\" format", short="t"),
        Flag("target", STRING, "Set the target build stage to build"),
        Flag("ulimit", ULIMIT, "Ulimit options", validate=PARSE_TIME_VALIDATORS["ulimit"]),
    ), min_args=1, max_args=1)

IMAGE = DockerCommand("image", "docker image COMMAND", "Manage images", (_help_flag(),),
                      subcommands=tuple((c.name.split()[1], c) for c in (
                          IMAGE_HISTORY, IMAGE_INSPECT, IMAGE_LOAD, IMAGE_LS, IMAGE_PRUNE,
                          IMAGE_RM, IMAGE_SAVE, IMAGE_TAG)))
