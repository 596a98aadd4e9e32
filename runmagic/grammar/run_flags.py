"""The flag table of ``docker run``: the single source of truth.

The line parser, ``%docker_run?`` help, kernel completion and the JupyterLab
extension (through the JSON export, :mod:`runmagic.flag_table_json`) all read
``FLAGS``. Each entry is data: its long name, short form, value kind, default,
a help line, the parse-time check docker's option type makes (``validate``),
the API version it needs and the OS it is limited to. What the value *means*
for the Engine is the translator's business, not the table's.
"""

from dataclasses import dataclass
from typing import Callable

from runmagic.golang import strconv as values
from runmagic.grammar.options.container import PULL_POLICIES
from runmagic.grammar.options.validators import PARSE_TIME_VALIDATORS

USAGE = "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"
SUMMARY = "Create and run a new container from an image"
ALIASES = "docker container run, docker run"


@dataclass(frozen=True)
class Kind:
    """How a flag takes its value: the type name docker's help shows, the
    parse-time conversion, whether repeating the flag accumulates, and what
    the empty value prints as in help (pflag's ``(default [])``)."""

    name: str
    convert: Callable[[str], object]
    repeatable: bool = False
    empty: str = ""

    @property
    def takes_value(self) -> bool:
        return self is not BOOL


BOOL = Kind("", values.parse_bool)
STRING = Kind("string", str)
LIST = Kind("list", str, repeatable=True)
#: docker's WeightdeviceOpt/ThrottledeviceOpt: a list whose empty value prints "[]".
DEVICE_LIST = Kind("list", str, repeatable=True, empty="[]")
MAP = Kind("map", str, repeatable=True, empty="map[]")
INT = Kind("int", values.parse_int)
UINT16 = Kind("uint16", lambda text: values.parse_uint(text, 16))
UINT = Kind("uint", values.parse_uint)
BYTES = Kind("bytes", values.parse_ram_bytes)
SWAP_BYTES = Kind("bytes", values.parse_swap_bytes)
DECIMAL = Kind("decimal", values.parse_nano_cpus)
DURATION = Kind("duration", values.parse_duration)
MOUNT = Kind("mount", str, repeatable=True)
NETWORK = Kind("network", str, repeatable=True)
GPU_REQUEST = Kind("gpu-request", str, repeatable=True)
ULIMIT = Kind("ulimit", str, repeatable=True, empty="[]")


@dataclass(frozen=True)
class Flag:
    name: str
    kind: Kind
    help: str
    short: str = ""
    default: object = None
    #: Parse-time check of one value, as docker's option types do in Set();
    #: returns the value to store or raises ValueError with docker's words.
    #: Defaults to the kind's conversion.
    validate: Callable[[str], object] | None = None
    #: Lowest Engine API version that knows the flag ("" for any).
    min_api: str = ""
    #: The only daemon OS the flag applies to ("" for any).
    os: str = ""
    #: Hidden names that mean the same flag (``--net`` for ``--network``).
    aliases: tuple[str, ...] = ()
    #: The closed set of values, for completion and the highlighter.
    choices: tuple[str, ...] = ()
    #: What the value names on the engine, for completion:
    #: image, container, network, volume, signal or file.
    completes: str = ""
    #: Shown in help? (``--help`` itself is listed by docker.)
    hidden: bool = False

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    @property
    def display(self) -> str:
        """How pflag names the flag in its errors: ``-m, --memory``."""
        return f"-{self.short}, --{self.name}" if self.short else f"--{self.name}"

    def convert(self, text: str) -> object:
        return (self.validate or self.kind.convert)(text)


def _checked(name: str, kind: Kind, help: str, **more) -> Flag:
    """A flag whose values docker's option type checks while parsing."""
    return Flag(name, kind, help, validate=PARSE_TIME_VALIDATORS[name], **more)


_RESTART_POLICIES = ("no", "always", "on-failure", "on-failure:", "unless-stopped")
_LOG_DRIVERS = (
    "json-file", "local", "none", "syslog", "journald", "gelf", "fluentd",
    "awslogs", "splunk", "etwlogs", "gcplogs", "logentries",
)
_NETWORK_MODES = ("bridge", "host", "none", "default", "container:")
_NAMESPACE_MODES = ("host", "private", "shareable", "none", "container:")
_STREAMS = ("stdin", "stdout", "stderr", "STDIN", "STDOUT", "STDERR")

FLAGS: tuple[Flag, ...] = (
    _checked("add-host", LIST, "Add a host-to-IP mapping (host:ip or host=ip)"),
    Flag("annotation", MAP, "Add an OCI runtime annotation to the container", min_api="1.43"),
    _checked("attach", LIST, "Attach to STDIN, STDOUT or STDERR", short="a", choices=_STREAMS),
    Flag("blkio-weight", UINT16, "Block IO relative weight, 10 to 1000, or 0 to disable", default=0),
    _checked("blkio-weight-device", DEVICE_LIST, "Block IO weight of a device (DEVICE:WEIGHT)"),
    Flag("cap-add", LIST, "Add Linux capabilities"),
    Flag("cap-drop", LIST, "Drop Linux capabilities"),
    Flag("cgroup-parent", STRING, "Parent cgroup for the container"),
    Flag("cgroupns", STRING, "Cgroup namespace to use (host|private)\n"
         "'host':    the Docker host's cgroup namespace\n"
         "'private': a private cgroup namespace of the container\n"
         "'':        the daemon's default-cgroupns-mode (default)",
         min_api="1.41", choices=("host", "private")),
    Flag("cidfile", STRING, "Write the container ID to this file", completes="file"),
    Flag("cpu-count", INT, "CPU count (Windows only)", default=0, os="windows"),
    Flag("cpu-percent", INT, "CPU percent (Windows only)", default=0, os="windows"),
    Flag("cpu-period", INT, "CPU CFS period in microseconds", default=0),
    Flag("cpu-quota", INT, "CPU CFS quota in microseconds", default=0),
    Flag("cpu-rt-period", INT, "CPU real-time period in microseconds", default=0, min_api="1.25"),
    Flag("cpu-rt-runtime", INT, "CPU real-time runtime in microseconds", default=0, min_api="1.25"),
    Flag("cpu-shares", INT, "CPU shares (relative weight)", short="c", default=0),
    Flag("cpus", DECIMAL, "Number of CPUs (a decimal or a fraction such as 1/2)", min_api="1.25"),
    Flag("cpuset-cpus", STRING, "CPUs the container may run on (0-3, 0,1)"),
    Flag("cpuset-mems", STRING, "Memory nodes the container may use (0-3, 0,1)"),
    Flag("detach", BOOL, "Run the container in the background and print its ID", short="d"),
    Flag("detach-keys", STRING, "Key sequence that detaches from the container"),
    Flag("device", LIST, "Add a host device (HOST[:CONTAINER[:PERMISSIONS]])"),
    _checked("device-cgroup-rule", LIST, "Add a rule to the cgroup's allowed devices"),
    _checked("device-read-bps", DEVICE_LIST,
             "Limit read bytes per second from a device (DEVICE:RATE)"),
    _checked("device-read-iops", DEVICE_LIST,
             "Limit read operations per second from a device (DEVICE:RATE)"),
    _checked("device-write-bps", DEVICE_LIST,
             "Limit write bytes per second to a device (DEVICE:RATE)"),
    _checked("device-write-iops", DEVICE_LIST,
             "Limit write operations per second to a device (DEVICE:RATE)"),
    Flag("disable-content-trust", BOOL, "Skip image signature verification", default=True),
    _checked("dns", LIST, "Use these DNS servers"),
    Flag("dns-option", LIST, "Set resolver options", aliases=("dns-opt",)),
    _checked("dns-search", LIST, "Use these DNS search domains"),
    Flag("domainname", STRING, "NIS domain name of the container"),
    Flag("entrypoint", STRING, "Replace the image's ENTRYPOINT ('' clears it)"),
    _checked("env", LIST, "Set an environment variable (NAME=VALUE, or NAME to pass the kernel's)",
             short="e"),
    Flag("env-file", LIST, "Read environment variables from a file", completes="file"),
    Flag("expose", LIST, "Expose a port or a range of ports"),
    _checked("gpus", GPU_REQUEST, "GPUs to add to the container ('all' for every GPU)",
             min_api="1.40"),
    Flag("group-add", LIST, "Add supplementary groups"),
    Flag("health-cmd", STRING, "Command that checks the container's health"),
    Flag("health-interval", DURATION, "Time between health checks (ms|s|m|h) (default 0s)",
         default=0),
    Flag("health-retries", INT, "Consecutive failures before the container is unhealthy", default=0),
    Flag("health-start-interval", DURATION,
         "Time between health checks during the start period (ms|s|m|h) (default 0s)",
         default=0, min_api="1.44"),
    Flag("health-start-period", DURATION,
         "Grace period before failed checks count (ms|s|m|h) (default 0s)", default=0,
         min_api="1.29"),
    Flag("health-timeout", DURATION, "Longest time one health check may run (ms|s|m|h) (default 0s)",
         default=0),
    Flag("help", BOOL, "Print usage"),
    Flag("hostname", STRING, "Host name of the container", short="h"),
    Flag("init", BOOL, "Run an init process that forwards signals and reaps children",
         min_api="1.25"),
    Flag("interactive", BOOL, "Keep STDIN open even when not attached", short="i"),
    Flag("io-maxbandwidth", BYTES, "Maximum IO bandwidth of the system drive (Windows only)",
         default=0, os="windows"),
    Flag("io-maxiops", UINT, "Maximum IO operations per second of the system drive (Windows only)",
         default=0, os="windows"),
    Flag("ip", STRING, "IPv4 address on the network (e.g., 172.30.100.104)"),
    Flag("ip6", STRING, "IPv6 address on the network (e.g., 2001:db8::33)"),
    Flag("ipc", STRING, "IPC namespace mode", choices=_NAMESPACE_MODES, completes="container"),
    Flag("isolation", STRING, "Container isolation technology",
         choices=("default", "process", "hyperv")),
    Flag("kernel-memory", BYTES, "Kernel memory limit", default=0),
    _checked("label", LIST, "Set a label (KEY=VALUE)", short="l"),
    Flag("label-file", LIST, "Read labels from a line-delimited file", completes="file"),
    _checked("link", LIST, "Link another container (NAME[:ALIAS])", completes="container"),
    Flag("link-local-ip", LIST, "IPv4/IPv6 link-local addresses of the container"),
    Flag("log-driver", STRING, "Logging driver of the container", choices=_LOG_DRIVERS),
    Flag("log-opt", LIST, "Logging driver option (KEY=VALUE)"),
    Flag("mac-address", STRING, "MAC address of the container (e.g., 92:d0:c6:0a:29:33)"),
    Flag("memory", BYTES, "Memory limit", short="m", default=0),
    Flag("memory-reservation", BYTES, "Memory soft limit", default=0),
    Flag("memory-swap", SWAP_BYTES, "Memory plus swap limit ('-1' for unlimited swap)", default=0),
    Flag("memory-swappiness", INT, "Memory swappiness, 0 to 100", default=-1),
    _checked("mount", MOUNT, "Attach a filesystem mount (type=...,source=...,target=...)"),
    Flag("name", STRING, "Name the container"),
    _checked("network", NETWORK, "Connect the container to a network", aliases=("net",),
             choices=_NETWORK_MODES, completes="network"),
    Flag("network-alias", LIST, "Network-scoped alias of the container", aliases=("net-alias",)),
    Flag("no-healthcheck", BOOL, "Disable the image's HEALTHCHECK"),
    Flag("oom-kill-disable", BOOL, "Disable the OOM killer"),
    Flag("oom-score-adj", INT, "OOM score adjustment, -1000 to 1000", default=0),
    Flag("pid", STRING, "PID namespace mode", choices=("host", "container:"), completes="container"),
    Flag("pids-limit", INT, "Process count limit (-1 for unlimited)", default=0),
    Flag("platform", STRING, "Platform of the image (os[/arch[/variant]])", min_api="1.32"),
    Flag("privileged", BOOL, "Give the container extended privileges"),
    Flag("publish", LIST, "Publish a container port on the host ([IP:][HOST:]CONTAINER[/PROTO])",
         short="p"),
    Flag("publish-all", BOOL, "Publish every exposed port on a random host port", short="P"),
    Flag("pull", STRING, "When to pull the image (\"always\", \"missing\", \"never\")",
         default="missing", choices=PULL_POLICIES),
    Flag("quiet", BOOL, "Do not show pull progress", short="q"),
    Flag("read-only", BOOL, "Mount the root filesystem read-only"),
    Flag("restart", STRING, "Restart policy (no, always, on-failure[:N], unless-stopped)",
         default="no", choices=_RESTART_POLICIES),
    Flag("rm", BOOL, "Remove the container and its anonymous volumes when it exits"),
    Flag("runtime", STRING, "OCI runtime of the container"),
    Flag("security-opt", LIST, "Security option (seccomp=..., apparmor=..., no-new-privileges, ...)"),
    Flag("shm-size", BYTES, "Size of /dev/shm", default=0),
    Flag("sig-proxy", BOOL, "Forward received signals to the container", default=True),
    Flag("stop-signal", STRING, "Signal that stops the container", completes="signal"),
    Flag("stop-timeout", INT, "Seconds to wait for a stop before killing", default=0,
         min_api="1.25"),
    Flag("storage-opt", LIST, "Storage driver option of the container"),
    _checked("sysctl", MAP, "Namespaced kernel parameter (KEY=VALUE)"),
    Flag("tmpfs", LIST, "Mount a tmpfs (PATH[:OPTIONS])"),
    Flag("tty", BOOL, "Allocate a pseudo-TTY", short="t"),
    _checked("ulimit", ULIMIT, "Resource limit (NAME=SOFT[:HARD])"),
    Flag("use-api-socket", BOOL, "Bind-mount the Docker API socket and its credentials"),
    Flag("user", STRING, "User and group to run as (<name|uid>[:<group|gid>])", short="u"),
    Flag("userns", STRING, "User namespace mode", choices=("host",)),
    Flag("uts", STRING, "UTS namespace mode", choices=("host",)),
    Flag("volume", LIST, "Mount a volume or bind a host path ([SOURCE:]TARGET[:OPTIONS])",
         short="v", completes="volume"),
    Flag("volume-driver", STRING, "Volume driver for the container's volumes"),
    Flag("volumes-from", LIST, "Mount the volumes of another container (NAME[:ro|rw])",
         completes="container"),
    Flag("workdir", STRING, "Working directory inside the container", short="w"),
)

BY_NAME: dict[str, Flag] = {name: f for f in FLAGS for name in (f.name, *f.aliases)}
BY_SHORT: dict[str, Flag] = {f.short: f for f in FLAGS if f.short}

