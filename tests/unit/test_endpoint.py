"""Engine resolution against the real docker CLI (28): the same context, the same address.

Each case builds a docker configuration folder, then asks both ``docker context show``
(and ``docker context inspect``) and :func:`runmagic.engine.endpoint.resolve`. Nothing
here talks to an engine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from runmagic.engine import contexts, endpoint
from runmagic.engine.contexts import ContextError

DOCKER = shutil.which("docker")
pytestmark = pytest.mark.skipif(DOCKER is None, reason="the docker CLI is the oracle")


def write_context(config: str, name: str, host: str, skip_tls_verify: bool = False,
                  tls: dict[str, bytes] | None = None, description: str = "") -> None:
    contexts.Store(config).create(name, host, description, skip_tls_verify, tls)


def docker(environ: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([DOCKER, *args], env=environ, capture_output=True, text=True, timeout=30)


@pytest.fixture
def config(tmp_path):
    folder = tmp_path / "docker-config"
    folder.mkdir()
    write_context(str(folder), "remote-a", "tcp://127.0.0.1:2999")
    write_context(str(folder), "remote-b", "unix:///run/runmagic-test-b.sock")
    return str(folder)


def base_environ(config: str, **extra: str) -> dict:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
                            "DOCKER_TLS")}
    environ["DOCKER_CONFIG"] = config
    environ.update(extra)
    return environ


def set_current(config: str, name: str) -> None:
    with open(os.path.join(config, "config.json"), "w") as f:
        json.dump({"auths": {}, "currentContext": name}, f)


CASES = {
    "nothing": ({}, None),
    "DOCKER_HOST set": ({"DOCKER_HOST": "tcp://127.0.0.1:2888"}, "remote-a"),
    "DOCKER_HOST empty": ({"DOCKER_HOST": ""}, "remote-a"),
    "DOCKER_HOST beats DOCKER_CONTEXT": ({"DOCKER_HOST": "tcp://127.0.0.1:2888",
                                         "DOCKER_CONTEXT": "remote-b"}, None),
    "DOCKER_CONTEXT": ({"DOCKER_CONTEXT": "remote-b"}, "remote-a"),
    "DOCKER_CONTEXT empty": ({"DOCKER_CONTEXT": ""}, "remote-a"),
    "DOCKER_CONTEXT=default": ({"DOCKER_CONTEXT": "default"}, "remote-a"),
    "DOCKER_CONTEXT=default with DOCKER_HOST empty": ({"DOCKER_CONTEXT": "default", "DOCKER_HOST": ""},
                                                      None),
    "currentContext": ({}, "remote-b"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_same_context_and_address_as_docker(config, case):
    extra, current = CASES[case]
    if current:
        set_current(config, current)
    environ = base_environ(config, **extra)
    shown = docker(environ, "context", "show")
    assert shown.returncode == 0, shown.stderr
    resolved = endpoint.resolve(environ)
    assert resolved.context == shown.stdout.strip()
    inspected = docker(environ, "context", "inspect", "--format", "{{.Endpoints.docker.Host}}",
                       resolved.context)
    assert inspected.returncode == 0, inspected.stderr
    assert resolved.host == inspected.stdout.strip()


def test_missing_config_json_and_contexts_folder(tmp_path, monkeypatch):
    """No config.json, no contexts folder: the default socket (never a folder relative to
    the working directory, as docker-py 7.2 looks for)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contexts" / "meta").mkdir(parents=True)  # a decoy in the working directory
    environ = base_environ(str(tmp_path / "absent"))
    assert docker(environ, "context", "show").stdout.strip() == "default"
    resolved = endpoint.resolve(environ)
    assert (resolved.context, resolved.host, resolved.source) == (
        "default", endpoint.DEFAULT_HOST, endpoint.BY_DEFAULT)


@pytest.mark.parametrize("how", ["DOCKER_CONTEXT", "currentContext", "setting"])
def test_unknown_context_is_an_error_naming_it_in_dockers_words(config, how):
    environ = base_environ(config, **({"DOCKER_CONTEXT": "nope"} if how == "DOCKER_CONTEXT" else {}))
    if how == "currentContext":
        set_current(config, "nope")
    override = "nope" if how == "setting" else None
    with pytest.raises(ContextError) as caught:
        endpoint.resolve(environ, context=override)
    cli = docker(environ, *(["--context", "nope"] if override else []), "ps")
    assert cli.returncode == caught.value.exit_status == 1
    # docker: "Failed to initialize: unable to resolve docker endpoint: context "nope": ..."
    assert cli.stderr.strip().endswith(caught.value.message)
    assert 'context "nope": context not found' in caught.value.message


def test_the_kernel_setting_wins_like_the_context_flag(config):
    environ = base_environ(config, DOCKER_HOST="tcp://127.0.0.1:2888", DOCKER_CONTEXT="remote-b")
    set_current(config, "remote-b")
    endpoint.select_context("remote-a")
    try:
        resolved = endpoint.resolve(environ)
    finally:
        endpoint.select_context(None)
    cli = docker(environ, "--context", "remote-a", "context", "inspect", "--format",
                 "{{.Endpoints.docker.Host}}")
    assert (resolved.context, resolved.host, resolved.source) == (
        "remote-a", cli.stdout.strip(), endpoint.BY_SETTING)
    assert endpoint.resolve(environ).context == "default"  # given back: DOCKER_HOST again


def test_stored_context_tls_material(tmp_path):
    config = str(tmp_path)
    write_context(config, "mutual", "tcp://127.0.0.1:2376",
                  tls={"ca.pem": b"ca", "cert.pem": b"cert", "key.pem": b"key"})
    write_context(config, "ca-only", "tcp://127.0.0.1:2376", tls={"ca.pem": b"ca"})
    write_context(config, "skip", "tcp://127.0.0.1:2376", skip_tls_verify=True)
    write_context(config, "plain", "tcp://127.0.0.1:2375")
    environ = base_environ(config)
    tls_dir = os.path.join(config, "contexts", "tls", contexts.context_id("mutual"), "docker")
    assert endpoint.resolve(environ, "mutual").tls == endpoint.TLS(
        os.path.join(tls_dir, "ca.pem"), os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem"))
    ca_only = endpoint.resolve(environ, "ca-only").tls
    assert (ca_only.cert, ca_only.key, ca_only.verify) == (None, None, True) and ca_only.ca
    assert endpoint.resolve(environ, "skip").tls == endpoint.TLS(verify=False)
    assert endpoint.resolve(environ, "plain").tls is None
    # The CLI reads the same store: it lists the same TLS files.
    listed = docker(environ, "context", "inspect", "--format", "{{json .TLSMaterial}}", "mutual", "ca-only")
    assert listed.stdout.split() == ['{"docker":["ca.pem","cert.pem","key.pem"]}', '{"docker":["ca.pem"]}']


def test_docker_tls_verify_and_cert_path(tmp_path):
    certs = tmp_path / "certs"
    certs.mkdir()
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (certs / name).write_text(name)
    environ = base_environ(str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:2376", DOCKER_TLS_VERIFY="1",
                           DOCKER_CERT_PATH=str(certs))
    assert endpoint.resolve(environ).tls == endpoint.TLS(
        str(certs / "ca.pem"), str(certs / "cert.pem"), str(certs / "key.pem"), verify=True)
    # No DOCKER_CERT_PATH: the config folder; a missing client key pair is dropped, as docker does.
    (tmp_path / "ca.pem").write_text("ca")
    environ = base_environ(str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:2376", DOCKER_TLS_VERIFY="1")
    assert endpoint.resolve(environ).tls == endpoint.TLS(str(tmp_path / "ca.pem"), None, None, True)
    # DOCKER_TLS alone: TLS without verification.
    environ = base_environ(str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:2376", DOCKER_TLS="1")
    assert endpoint.resolve(environ).tls == endpoint.TLS(None, None, None, verify=False)
    assert endpoint.resolve(base_environ(str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:2375")).tls is None


def test_describe_names_context_and_address(config):
    environ = base_environ(config, DOCKER_CONTEXT="remote-a")
    assert endpoint.resolve(environ).describe() == "tcp://127.0.0.1:2999 (context 'remote-a')"
    assert endpoint.resolve(base_environ(config)).is_default


def test_a_helper_process_environment_resolves_the_same_engine(config):
    environ = base_environ(config, DOCKER_HOST="tcp://127.0.0.1:2888")
    endpoint.select_context("remote-b")
    try:
        chosen = endpoint.resolve(environ)
        child = endpoint.child_environ(environ)
    finally:
        endpoint.select_context(None)
    assert endpoint.resolve(child).host == chosen.host == "unix:///run/runmagic-test-b.sock"
    assert endpoint.child_environ(environ) == environ  # no kernel choice: the same environment
