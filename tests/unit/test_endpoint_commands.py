"""``%docker_context`` against the real docker CLI (28), on a temporary DOCKER_CONFIG:
the same stdout, stderr, exit status and files for the same command lines."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from runmagic.commands import contexts as context_commands
from runmagic.engine import endpoint
from runmagic.errors import DockerError
from runmagic.grammar import command_flags as tables
from runmagic.grammar import parser as cli
from tests.support.transports import Certificates

DOCKER = shutil.which("docker")
pytestmark = pytest.mark.skipif(DOCKER is None, reason="the docker CLI is the oracle")

ACTIONS = {"ls": context_commands.ls, "show": context_commands.show, "inspect": context_commands.inspect,
           "use": context_commands.use, "create": context_commands.create, "rm": context_commands.rm}


class Captured:
    def __init__(self):
        self.stdout, self.stderr = [], []
        self.out, self.err = self.stdout.append, self.stderr.append


def ours(words: list[str]) -> tuple[str, str, int]:
    captured = Captured()
    command = tables.subcommand(tables.CONTEXT, words[0])
    status = 0
    try:
        result = ACTIONS[command.name.split()[1]](captured, cli.parse_args(words[1:], command))
        if result is not None:
            captured.out(result.text)
    except DockerError as exc:
        captured.err(exc.message + "\n")
        status = exc.exit_status
    return "".join(captured.stdout), "".join(captured.stderr), status


def theirs(words: list[str]) -> tuple[str, str, int]:
    done = subprocess.run([DOCKER, "context", *words], capture_output=True, text=True, timeout=30)
    return done.stdout, done.stderr, done.returncode


def snapshot(folder) -> dict:
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            files[os.path.relpath(path, folder)] = open(path, "rb").read()
    return files


@pytest.fixture
def configs(tmp_path, monkeypatch):
    """Two identical docker config folders, ours and the CLI's, and a switch between them."""
    for variable in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(variable, raising=False)
    made = Certificates(tmp_path / "made")
    certs = made.cert_path("certs", {"ca.pem": made.ca, "cert.pem": made.client, "key.pem": made.client_key,
                                     "bad.pem": made.folder / "client.ext"})
    folders = {"ours": tmp_path / "ours", "theirs": tmp_path / "theirs"}
    for folder in folders.values():
        folder.mkdir()

    def run(line: str, **environ) -> tuple:
        words = cli.split_line(line.replace("CERTS", str(certs)))
        results = []
        for who, folder in folders.items():
            monkeypatch.setenv("DOCKER_CONFIG", str(folder))
            for key, value in environ.items():
                monkeypatch.setenv(key, value)
            out, err, status = (ours if who == "ours" else theirs)(words)
            for key in environ:
                monkeypatch.delenv(key)
            results.append((out.replace(str(folder), "CONFIG"), err.replace(str(folder), "CONFIG"), status))
        assert [r[0].splitlines() for r in results[:1]] == [r[0].splitlines() for r in results[1:]], line
        assert results[0] == results[1], line
        assert snapshot(folders["ours"]) == snapshot(folders["theirs"]), line
        return results[0]
    return run


def test_a_session_of_context_commands_matches_docker(configs):
    configs("ls")
    configs("show")
    configs("create remote-1 --docker host=tcp://127.0.0.1:2999")
    configs("create remote-1 --docker host=tcp://127.0.0.1:2999")
    configs("create x --docker host=tcp://127.0.0.1:2999")
    configs("create default")
    configs("create tls-1 --description 'mutual <TLS> & more' "
            "--docker host=tcp://127.0.0.1:2376,ca=CERTS/ca.pem,cert=CERTS/cert.pem,key=CERTS/key.pem")
    configs("create ca-only --docker host=tcp://127.0.0.1:2376,ca=CERTS/ca.pem")
    configs("create skipper --docker host=tcp://127.0.0.1:2376,skip-tls-verify=true")
    configs("create bad-key --docker host=tcp://127.0.0.1:2376,foo=1")
    configs("create bad-bool --docker host=tcp://127.0.0.1:2376,skip-tls-verify=maybe")
    configs("create bad-file --docker ca=/nonexistent/ca.pem")
    configs("create bad-pem --docker host=tcp://127.0.0.1:2376,ca=CERTS/bad.pem")
    configs("create copy-of-current")
    configs("create copy-of-tls --from tls-1")
    configs("ls")
    configs("ls -q")
    configs("ls --format json")
    configs("ls --format '{{.Name}}:{{.Current}}:{{.DockerEndpoint}}'")
    configs("inspect tls-1 ca-only")
    configs("inspect")
    configs("inspect default")
    configs("inspect nope tls-1")
    configs("inspect -f '{{.Name}} {{.Endpoints.docker.Host}}' skipper")
    # Templates run over the CLI's Go type: an embedded Metadata, interfaces holding structs.
    for template in ("{{.}}", "{{json .}}", "{{.Metadata}}", "{{json .Metadata}}", "{{.Metadata.Metadata}}",
                     "{{json .Metadata.Metadata}}", "{{.Endpoints}}", "{{.TLSMaterial}} {{.Storage}}",
                     "{{json .Storage}}", "{{index .Endpoints \"docker\"}}", "{{.Endpoints.nope}}",
                     "{{range $k, $v := .Endpoints}}{{$k}}={{$v.Host}},{{$v.SkipTLSVerify}}{{end}}",
                     "{{if .Metadata.Metadata}}set{{end}}", "{{.Nope}}", "{{.Metadata.Nope}}",
                     "{{.Metadata.Metadata.Nope}}", "{{.Storage.Nope}}"):
        configs(f"inspect -f '{template}' tls-1 default")
    configs("use")
    configs("use a b")
    configs("use nope")
    configs("use remote-1")
    configs("show")
    configs("ls")
    configs("ls", DOCKER_HOST="tcp://127.0.0.1:2888")
    configs("show", DOCKER_CONTEXT="skipper")
    configs("ls", DOCKER_CONTEXT="nope")
    configs("use tls-1", DOCKER_HOST="tcp://127.0.0.1:2888")
    configs("rm tls-1")
    configs("rm -f tls-1")
    configs("rm nope default remote-1")
    configs("use default")
    configs("use default")
    configs("ls")


def test_use_writes_what_resolution_reads(tmp_path, monkeypatch):
    for variable in ("DOCKER_HOST", "DOCKER_CONTEXT"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    assert ours(["create", "remote-2", "--docker", "host=tcp://127.0.0.1:2999"])[2] == 0
    assert endpoint.resolve().context == "default"
    assert ours(["use", "remote-2"]) == ("remote-2\n", 'Current context is now "remote-2"\n', 0)
    resolved = endpoint.resolve()
    assert (resolved.context, resolved.host) == ("remote-2", "tcp://127.0.0.1:2999")
    assert resolved.source == f"currentContext in {tmp_path / 'config.json'}"
