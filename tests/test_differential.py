"""runmagic against the real docker CLI, line by line, on the same engine.

Every line of tests/differential/corpus.txt is run twice: by ``docker run`` (the
oracle, /usr/local/bin/docker) and by runmagic in this process (parse -> plan ->
Runner). For a line both accept, ``docker inspect`` of the two containers must
match (Config, HostConfig, network endpoint settings, mounts), ignoring what
differs by nature: IDs, names, timestamps, anonymous volume names, hostnames
and aliases derived from the ID, and the order of lists built from Go maps
(the CLI's Env and Binds, the engine's Links and its list of endpoints in an
error message). For a line either refuses, the exit statuses and the
messages (the CLI's first stderr line, runmagic's error) must match. Warnings
printed at create must match too.

Both sides get ``--pull never`` and the session labels; everything made is
removed. The agreement figure is printed and must be 100%.
"""

from __future__ import annotations

import copy
import json
import os
import pty
import re
import shlex
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import docker.errors
import docker.types
import pytest

from runmagic.grammar import parser as cli
from runmagic.engine import client as engine
from runmagic import translate
from runmagic.errors import DockerError
from runmagic.grammar.run_flags import BY_NAME, BY_SHORT, FLAGS
from runmagic.commands.run import Runner, RunSettings
from tests.differential.fake_engine import FakeEngine
from tests.support.engine import SESSION_ID, session_labels

CORPUS = Path(__file__).parent / "differential" / "corpus.txt"
DOCKER = "/usr/local/bin/docker"
RUN_LABEL = "org.runmagic.diff.run"  # "<line>-<side>": how each side's container is found
WORKERS = 4
_EXCLUDED = re.compile(r"EXCLUDED\((?P<reason>.*)\) :: (?P<line>.*)")
_HEX_ID = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b")


@dataclass
class Entry:
    lineno: int
    text: str
    excluded: str = ""  # the documented reason, for lines not run


def load_corpus() -> list[Entry]:
    entries = []
    for lineno, raw in enumerate(CORPUS.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _EXCLUDED.fullmatch(line)
        if match:
            entries.append(Entry(lineno, match["line"], match["reason"]))
        else:
            entries.append(Entry(lineno, line))
    return entries


# ------------------------------------------------------------------ the world


@dataclass
class World:
    """What the corpus's placeholders name: files, networks, a volume, a peer."""

    tmp: Path
    api: object
    suffix: str
    objects: dict = field(default_factory=dict)

    def values(self, lineno: int) -> dict:
        return {**self.objects, "tmp": str(self.tmp), "tmpbase": self.tmp.name,
                "name": f"rmdiff-{lineno}-{self.suffix}", "n": str(lineno)}

    def args(self, entry: Entry) -> list[str]:
        return shlex.split(entry.text.format(**self.values(entry.lineno)))


def _write_files(tmp: Path) -> None:
    (tmp / "dir").mkdir()
    (tmp / "dir" / "sub").mkdir()
    (tmp / "rel").mkdir()
    (tmp / "env.list").write_text(
        "# a comment\nA=1\n  B=two words \nRMDIFF_SET\nRMDIFF_UNSET\n\nA=override\n")
    (tmp / "env-bom.list").write_bytes(b"\xef\xbb\xbfX=1\r\nY=2\n")
    (tmp / "env-bad.list").write_text("bad key=1\n")
    (tmp / "env-noname.list").write_text("=x\n")
    (tmp / "labels.list").write_text("la=1\nlb\n# c\nlc=3\n")
    (tmp / "seccomp.json").write_text('{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}\n')
    (tmp / "seccomp-bad.json").write_text("{bad")


@pytest.fixture(scope="module")
def world(tmp_path_factory, docker_client):
    api = docker_client.api
    labels = session_labels()
    tmp = tmp_path_factory.mktemp("differential")
    _write_files(tmp)
    suffix = f"{os.getpid()}"
    octet = 20 + os.getpid() % 200
    made: list[tuple[str, str]] = []
    saved_env = {k: os.environ.get(k) for k in ("RMDIFF_SET", "RMDIFF_SPACE", "RMDIFF_UNSET")}
    saved_cwd = os.getcwd()
    try:
        net = api.create_network(
            f"rmdiff-net-{suffix}", driver="bridge", labels=labels, enable_ipv6=True,
            ipam=docker.types.IPAMConfig(pool_configs=[
                docker.types.IPAMPool(subnet=f"10.213.{octet}.0/24"),
                docker.types.IPAMPool(subnet=f"fd00:213:{octet}::/64")]))
        made.append(("network", net["Id"]))
        net2 = api.create_network(f"rmdiff-net2-{suffix}", driver="bridge", labels=labels)
        made.append(("network", net2["Id"]))
        volume = api.create_volume(f"rmdiff-vol-{suffix}", labels=labels)
        made.append(("volume", volume["Name"]))
        peer = api.create_container(
            "busybox", ["sleep", "3600"], name=f"rmdiff-peer-{suffix}", labels=labels,
            volumes=["/pv"], host_config=api.create_host_config(ipc_mode="shareable"))
        made.append(("container", peer["Id"]))
        api.start(peer["Id"])
        world = World(tmp, api, suffix, {
            "net": f"rmdiff-net-{suffix}", "net2": f"rmdiff-net2-{suffix}",
            "net_ip": f"10.213.{octet}", "net_ip6": f"fd00:213:{octet}",
            "vol": f"rmdiff-vol-{suffix}", "peer": f"rmdiff-peer-{suffix}",
        })
        os.environ["RMDIFF_SET"] = "from-client"
        os.environ["RMDIFF_SPACE"] = "a b"
        os.environ.pop("RMDIFF_UNSET", None)
        os.chdir(tmp)  # --mount's relative sources resolve at parse time, as in docker
        yield world
    finally:
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for kind, ident in reversed(made):
            try:
                if kind == "container":
                    api.remove_container(ident, force=True, v=True)
                elif kind == "network":
                    api.remove_network(ident)
                else:
                    api.remove_volume(ident, force=True)
            except docker.errors.NotFound:
                pass


# ------------------------------------------------------------------ the two sides


@dataclass
class Outcome:
    status: int
    message: str = ""
    warnings: list = field(default_factory=list)
    inspect: dict | None = None
    containers: int = 0

    def summary(self) -> str:
        return f"status {self.status}, message {self.message!r}, warnings {self.warnings}"


def _label_args(key: str) -> list[str]:
    labels = {**session_labels(), RUN_LABEL: key}
    return [arg for k, v in labels.items() for arg in ("-l", f"{k}={v}")] + ["--pull", "never"]


_ENDPOINTS = re.compile(r"(cannot be connected to network endpoints: )(.*)")


def _normalise_message(text: str) -> str:
    """IDs out; the engine lists a create request's endpoints in Go map order (random)."""
    text = _ENDPOINTS.sub(lambda m: m[1] + ", ".join(sorted(m[2].split(", "))), text)
    return _HEX_ID.sub("<id>", text)


def run_cli(world: World, args: list[str], key: str) -> Outcome:
    """``docker run`` with a terminal for stdin (``-it`` wants one), stdout a pipe."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(
            [DOCKER, "run", *_label_args(key), *args], stdin=slave, capture_output=True,
            text=True, errors="replace", cwd=world.tmp, timeout=180)
    finally:
        os.close(slave)
        os.close(master)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    warnings = [line for line in lines if line.startswith("WARNING:")]
    errors = [line for line in lines if not line.startswith("WARNING:")]
    message = errors[0] if errors and proc.returncode else ""
    return Outcome(proc.returncode, _normalise_message(message), warnings)


_local = threading.local()


def _api():
    """docker-py, for the test's own inspections and clean-up."""
    if not hasattr(_local, "api"):
        _local.api = docker.APIClient(version="auto")
    return _local.api


def _engine():
    """runmagic's engine layer, for the runs under test."""
    if not hasattr(_local, "engine"):
        _local.engine = engine.connect()
    return _local.engine


def run_magic(world: World, args: list[str], key: str) -> Outcome:
    """runmagic in this process: parse -> plan -> Runner, writers collecting stderr."""
    stderr: list[str] = []
    api = _engine()
    try:
        run = cli.parse_args([*_label_args(key), *args])
        if run.help:
            return Outcome(0)
        plan = translate.plan_run(run, os.environ, str(world.tmp),
                                  translate.EngineInfo(api.api_version, "linux"))
        settings = RunSettings(log_dir=str(world.tmp / "logs"))
        result = Runner(api, plan, settings, stdin=None, write_stdout=lambda _: None,
                        write_stderr=stderr.append).run()
        status, message = getattr(result, "exit_status", 0), ""
    except DockerError as exc:
        status, message = exc.exit_status, str(exc).splitlines()[0]
    warnings = [line for line in "".join(stderr).splitlines() if line.startswith("WARNING:")]
    return Outcome(status, _normalise_message(message), warnings)


# ------------------------------------------------------------------ inspect


def _strip_id_aliases(aliases, info):
    if aliases is None:
        return None
    own = {info["Id"], info["Id"][:12], info["Config"].get("Hostname")}
    return [a for a in aliases if a not in own] or None


def normalise(info: dict) -> dict:
    """The parts of ``docker inspect`` both sides must agree on."""
    short, name = info["Id"][:12], info["Name"].lstrip("/")
    config = copy.deepcopy(info["Config"])
    host = copy.deepcopy(info["HostConfig"])
    if config.get("Hostname") == short:
        config["Hostname"] = "<id>"
    config["Labels"] = {k: v for k, v in (config.get("Labels") or {}).items() if k != RUN_LABEL}
    config["Env"] = sorted(config.get("Env") or [])  # the CLI's -e list comes from a Go map
    if host.get("Binds"):
        host["Binds"] = sorted(host["Binds"])  # the CLI's -v set is a Go map
    if host.get("Links"):  # the engine lists links from its link graph, a Go map
        host["Links"] = sorted(link.replace(f"/{name}/", "/<self>/") for link in host["Links"])
    networks = {}
    for net, settings in (info.get("NetworkSettings") or {}).get("Networks", {}).items():
        networks[net] = {
            "NetworkID": settings.get("NetworkID"),
            "IPAMConfig": settings.get("IPAMConfig"),
            "Links": settings.get("Links"),
            "Aliases": _strip_id_aliases(settings.get("Aliases"), info),
            "DriverOpts": settings.get("DriverOpts"),
        }
    mounts = []
    for mount in info.get("Mounts") or []:
        mount = dict(mount)
        if mount.get("Type") == "volume" and re.fullmatch(r"[0-9a-f]{64}", mount.get("Name", "")):
            mount["Source"] = mount["Source"].replace(mount["Name"], "<anon>")
            mount["Name"] = "<anon>"
        mounts.append(mount)
    mounts.sort(key=lambda m: m.get("Destination", ""))
    return {"Config": config, "HostConfig": host, "Networks": networks, "Mounts": mounts}


def collect(world: World, outcome: Outcome, key: str, removed: bool) -> list[str]:
    """Inspect and remove the side's containers; returns the volumes they mounted
    (those still in use elsewhere, such as --volumes-from's, are kept by the engine)."""
    api = _api()
    found = api.containers(all=True, filters={"label": f"{RUN_LABEL}={key}"})
    outcome.containers = len(found)
    named = []  # removed after the container; anonymous ones normally go with it (v=True)
    for summary in found:
        try:
            info = api.inspect_container(summary["Id"])
        except docker.errors.NotFound:
            continue  # an --rm container on its way out
        if not removed:
            outcome.inspect = normalise(info)
        named += [m["Name"] for m in info.get("Mounts") or []
                  if m.get("Type") == "volume" and m.get("Name") != world.objects["vol"]]
        try:
            api.remove_container(summary["Id"], force=True, v=True)
        except docker.errors.NotFound:
            pass
    return named


def _remove_volumes(names: list[str]) -> None:
    for name in names:
        try:
            _api().remove_volume(name, force=True)
        except docker.errors.APIError:
            pass


def _gone(key: str, timeout: float = 15.0) -> None:
    """Wait for --rm containers of a side to go, then force them."""
    api, deadline = _api(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not api.containers(all=True, filters={"label": f"{RUN_LABEL}={key}"}):
            return
        time.sleep(0.1)
    for summary in api.containers(all=True, filters={"label": f"{RUN_LABEL}={key}"}):
        api.remove_container(summary["Id"], force=True, v=True)


@dataclass
class Verdict:
    entry: Entry
    cli: Outcome
    magic: Outcome
    problems: list[str]


def _differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            out += _differences(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{path}.{key}")
        return out
    if a != b:
        return [f"{path}: docker {json.dumps(a)[:300]} / runmagic {json.dumps(b)[:300]}"]
    return []


def judge(world: World, entry: Entry) -> Verdict:
    args = world.args(entry)
    removed = _removes_itself(args)
    keys = {side: f"{entry.lineno}-{side}-{SESSION_ID}" for side in ("cli", "magic")}
    cidfile = _cidfile(args)
    results = {}
    for side, runner in (("cli", run_cli), ("magic", run_magic)):
        outcome = runner(world, args, keys[side])
        if removed:
            _gone(keys[side])
        _remove_volumes(collect(world, outcome, keys[side], removed))
        if cidfile and os.path.isfile(cidfile):
            os.unlink(cidfile)
        results[side] = outcome
    cli_side, magic = results["cli"], results["magic"]
    problems = []
    if (cli_side.status, cli_side.message) != (magic.status, magic.message):
        problems.append(f"docker: {cli_side.summary()}\n      runmagic: {magic.summary()}")
    elif cli_side.warnings != magic.warnings:
        problems.append(f"warnings: docker {cli_side.warnings} / runmagic {magic.warnings}")
    if not removed and cli_side.containers != magic.containers:
        problems.append(f"containers made: docker {cli_side.containers} / runmagic {magic.containers}")
    elif cli_side.inspect != magic.inspect:
        problems += _differences(cli_side.inspect, magic.inspect)
    return Verdict(entry, cli_side, magic, problems)


def _removes_itself(args: list[str]) -> bool:
    try:
        return bool(cli.parse_args(args).get("rm"))
    except DockerError:
        return False


def _cidfile(args: list[str]) -> str:
    try:
        return cli.parse_args(args).get("cidfile") or ""
    except DockerError:
        return ""


# ------------------------------------------------------------------ the tests


def _flags_named(args: list[str]) -> set[str]:
    """The flags (canonical names) and aliases a line's tokens spell, read as pflag would."""
    names, rest = set(), list(args)
    while rest:
        token = rest.pop(0)
        if token == "--" or not token.startswith("-") or len(token) < 2:
            break
        if token.startswith("--"):
            spelled = token[2:].partition("=")[0]
            flag = BY_NAME.get(spelled)
            if flag:
                names |= {flag.name, spelled}
                if flag.kind.takes_value and "=" not in token and rest:
                    rest.pop(0)
            continue
        letters = token[1:]
        while letters:
            flag = BY_SHORT.get(letters[0])
            if not flag:
                break
            names.add(flag.name)
            if flag.kind.takes_value:
                if len(letters) == 1 and rest:
                    rest.pop(0)
                break
            letters = letters[1:]
    return names


def test_corpus_is_large_and_touches_every_flag(world):
    entries = load_corpus()
    assert len(entries) >= 300
    spelled = set()
    for entry in entries:
        spelled |= _flags_named(world.args(entry))
    every = {f.name for f in FLAGS} | {alias for f in FLAGS for alias in f.aliases}
    assert every - spelled == set(), "flags no corpus line uses"


def test_runmagic_agrees_with_docker_on_every_line(world):
    entries = load_corpus()
    excluded = [e for e in entries if e.excluded]
    runnable = [e for e in entries if not e.excluded]
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        verdicts = list(pool.map(lambda e: judge(world, e), runnable))
    elapsed = time.monotonic() - started
    disagreements = [v for v in verdicts if v.problems]
    agreed = len(verdicts) - len(disagreements)
    inspected = sum(1 for v in verdicts if v.cli.inspect is not None)
    refused = sum(1 for v in verdicts if v.cli.status and not v.cli.containers)
    print(f"\ndifferential: {agreed}/{len(verdicts)} lines agree "
          f"({100.0 * agreed / len(verdicts):.1f}%) in {elapsed:.0f} s "
          f"({inspected} with containers inspected, {refused} refused before create); "
          f"{len(excluded)} documented exclusion(s):")
    for entry in excluded:
        print(f"  line {entry.lineno}: {entry.text}\n    ({entry.excluded})")
    report = []
    for verdict in disagreements:
        report.append(f"line {verdict.entry.lineno}: {verdict.entry.text}")
        report += [f"    {problem}" for problem in verdict.problems]
    print("\n".join(report))
    assert not disagreements, f"{len(disagreements)} line(s) disagree:\n" + "\n".join(report)


API_VERSIONS = ("1.24", "1.40", "1.41", "1.43", "1.44", "1.47")


def _cli_request(fake: FakeEngine, args: list[str]) -> tuple:
    """What ``docker run`` sends to (or how it refuses before) an engine of the fake's version."""
    before = len(fake.requests)
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([DOCKER, "run", *args], env={**os.environ, "DOCKER_HOST": fake.url},
                              stdin=slave, capture_output=True, text=True, timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    if len(fake.requests) > before:
        request = fake.requests[-1]
        return ("create", request["body"], request["query"].get("platform", ""))
    return ("refused", proc.returncode, (proc.stderr.splitlines() or [""])[0])


def _magic_request(api_version: str, args: list[str]) -> tuple:
    try:
        run = cli.parse_args(args)
        made = translate.plan_run(run, os.environ, os.getcwd(), translate.EngineInfo(api_version))
        request = translate.adapt_to_api(made, api_version)
    except DockerError as exc:
        return ("refused", exc.exit_status, str(exc).splitlines()[0])
    return ("create", request.body, request.platform)


@pytest.mark.parametrize("api_version", API_VERSIONS)
def test_create_requests_match_docker_at_other_api_versions(api_version, tmp_path):
    """The API-version rules, against the docker CLI talking to a fake engine of each version."""
    lines = [line for line in (CORPUS.parent / "api-versions.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    problems = []
    with FakeEngine(str(tmp_path / "engine.sock"), api_version) as fake:
        for line in lines:
            args = shlex.split(line)
            docker_side, ours = _cli_request(fake, args), _magic_request(api_version, args)
            if docker_side != ours:
                problems.append(f"{line}\n    docker:   {docker_side}\n    runmagic: {ours}")
    assert not problems, "\n".join(problems)


def _option_rows(text: str) -> list[tuple[str, int]]:
    """(the flag column, the column where its help starts) of each option row."""
    rows = []
    for line in text.splitlines():
        match = re.match(r"(  -\w, --\S+(?: \S+)?|      --\S+(?: \S+)?)( +)", line)
        if match:
            rows.append((match[1], match.end()))
    return rows


def test_help_has_dockers_layout(docker_client):
    """``%docker_run?`` lists the flags docker lists, in docker's columns and order."""
    docker_help = subprocess.run([DOCKER, "run", "--help"], capture_output=True, text=True,
                                 check=True).stdout
    version = docker_client.api.api_version
    ours = cli.usage_text(api_version=version, server_os="linux")
    assert ours.splitlines()[:7] == docker_help.splitlines()[:7]
    assert _option_rows(ours) == _option_rows(docker_help)
