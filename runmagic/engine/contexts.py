"""The docker CLI's contexts store, read and written as docker CLI 28 does.

A context named NAME lives in ``$DOCKER_CONFIG/contexts/meta/<sha256(NAME)>/meta.json``
(``{"Name", "Metadata": {"Description"}, "Endpoints": {"docker": {"Host", "SkipTLSVerify"}}}``)
and its TLS material in ``contexts/tls/<sha256(NAME)>/docker/{ca,cert,key}.pem``. The
current context is ``currentContext`` in ``$DOCKER_CONFIG/config.json``; ``default`` is
not stored anywhere: it is whatever DOCKER_HOST (or the default socket) says.

Pure file handling: no docker-py, no engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field

from runmagic.errors import CommandError

DEFAULT_CONTEXT = "default"
#: What ``docker context ls`` says of the default context.
DEFAULT_DESCRIPTION = "Current DOCKER_HOST based configuration"
#: docker's context-name rule (cli/context/store).
NAME_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$"
_NAME = re.compile(NAME_PATTERN)
#: The TLS files of a docker endpoint, in the order docker lists them.
TLS_FILES = ("ca.pem", "cert.pem", "key.pem")


class ContextError(CommandError):
    """A context that cannot be found, made or removed, in docker's words (exit status 1)."""


def config_dir(environ=os.environ) -> str:
    """The docker CLI's configuration folder: ``$DOCKER_CONFIG``, else ``~/.docker``."""
    return environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


def context_id(name: str) -> str:
    """The folder name of a context: the hex SHA-256 of its name."""
    return hashlib.sha256(name.encode()).hexdigest()


def go_json(text: str) -> str:
    """encoding/json's HTML-safe escaping of <, > and &, as docker writes and prints JSON."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ContextError(f'context name "{name}" is invalid, names are validated against '
                           f'regexp "{NAME_PATTERN}"')


@dataclass(frozen=True)
class DockerContext:
    """One context's docker endpoint, as the store holds it."""

    name: str
    host: str
    description: str = ""
    skip_tls_verify: bool = False
    #: Folder of the TLS material ("" for the default context, which has none stored).
    tls_dir: str = ""
    #: Which of ca.pem, cert.pem, key.pem exist there.
    tls_files: tuple[str, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False, compare=False)
    meta_path: str = "<IN MEMORY>"
    tls_path: str = "<IN MEMORY>"

    def tls_file(self, name: str) -> str | None:
        return os.path.join(self.tls_dir, name) if name in self.tls_files else None

    def inspect(self) -> dict:
        """``docker context inspect``'s document, keys in docker's order."""
        return {
            "Name": self.name,
            "Metadata": self.metadata,
            "Endpoints": {"docker": {"Host": self.host, "SkipTLSVerify": self.skip_tls_verify}},
            "TLSMaterial": {"docker": list(self.tls_files)} if self.tls_files else {},
            "Storage": {"MetadataPath": self.meta_path, "TLSPath": self.tls_path},
        }


class Store:
    """The contexts of one docker configuration folder."""

    def __init__(self, root: str):
        self.root = root
        self.meta_root = os.path.join(root, "contexts", "meta")
        self.tls_root = os.path.join(root, "contexts", "tls")

    @classmethod
    def from_environ(cls, environ=os.environ) -> "Store":
        return cls(config_dir(environ))

    def meta_file(self, name: str) -> str:
        return os.path.join(self.meta_root, context_id(name), "meta.json")

    def load(self, name: str) -> DockerContext:
        """The stored context ``name``; docker's "context not found" error naming it otherwise."""
        path = self.meta_file(name)
        try:
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
        except FileNotFoundError:
            raise ContextError(f'context "{name}": context not found: open {path}: '
                               "no such file or directory") from None
        except (OSError, ValueError) as exc:
            raise ContextError(f'context "{name}": cannot read {path}: {exc}') from None
        return self._context(document, os.path.dirname(path))

    def _context(self, document: dict, meta_dir: str) -> DockerContext:
        name = document.get("Name") or ""
        docker = (document.get("Endpoints") or {}).get("docker") or {}
        metadata = document.get("Metadata") or {}
        tls_path = os.path.join(self.tls_root, os.path.basename(meta_dir))
        tls_dir = os.path.join(tls_path, "docker")
        present = tuple(f for f in TLS_FILES if os.path.isfile(os.path.join(tls_dir, f)))
        return DockerContext(name, docker.get("Host") or "", metadata.get("Description") or "",
                             bool(docker.get("SkipTLSVerify")), tls_dir, present, metadata,
                             meta_dir, tls_path)

    def stored(self) -> list[DockerContext]:
        """Every readable stored context (unreadable folders are skipped, as docker does)."""
        found = []
        try:
            folders = sorted(os.listdir(self.meta_root))
        except FileNotFoundError:
            return []
        for folder in folders:
            try:
                with open(os.path.join(self.meta_root, folder, "meta.json"), encoding="utf-8") as f:
                    found.append(self._context(json.load(f), os.path.join(self.meta_root, folder)))
            except (OSError, ValueError):
                continue
        return found

    def exists(self, name: str) -> bool:
        return os.path.isfile(self.meta_file(name))

    def create(self, name: str, host: str, description: str = "", skip_tls_verify: bool = False,
               tls: dict[str, bytes] | None = None) -> None:
        """Write a context as ``docker context create`` does (meta.json, then TLS files)."""
        meta_dir = os.path.dirname(self.meta_file(name))
        os.makedirs(meta_dir, mode=0o755, exist_ok=True)
        document = {"Name": name,
                    "Metadata": {"Description": description} if description else {},
                    "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}}}
        text = go_json(json.dumps(document, separators=(",", ":"), ensure_ascii=False))
        with open(os.path.join(meta_dir, "meta.json"), "w", encoding="utf-8") as f:
            f.write(text)
        if tls:
            tls_dir = os.path.join(self.tls_root, context_id(name), "docker")
            os.makedirs(tls_dir, mode=0o700, exist_ok=True)
            for file_name in TLS_FILES:
                if file_name in tls:
                    path = os.path.join(tls_dir, file_name)
                    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                        f.write(tls[file_name])

    def remove(self, name: str) -> None:
        shutil.rmtree(os.path.join(self.meta_root, context_id(name)), ignore_errors=True)
        shutil.rmtree(os.path.join(self.tls_root, context_id(name)), ignore_errors=True)

    # -- config.json ------------------------------------------------------------

    @property
    def config_file(self) -> str:
        return os.path.join(self.root, "config.json")

    def current_context(self) -> str:
        """``currentContext`` of config.json ("" when there is none, or no config.json)."""
        try:
            with open(self.config_file, encoding="utf-8") as f:
                document = json.load(f)
        except FileNotFoundError:
            return ""
        except (OSError, ValueError) as exc:
            raise ContextError(f"loading config file: {self.config_file}: {exc}") from None
        return document.get("currentContext") or "" if isinstance(document, dict) else ""

    def set_current_context(self, name: str) -> None:
        """Write ``currentContext`` as ``docker context use`` does: only when it changes;
        the default context removes the key; the rest of config.json is kept,
        tab-indented like docker's."""
        try:
            with open(self.config_file, encoding="utf-8") as f:
                document = json.load(f)
        except FileNotFoundError:
            document = {}
        except (OSError, ValueError) as exc:
            raise ContextError(f"loading config file: {self.config_file}: {exc}") from None
        wanted = "" if name == DEFAULT_CONTEXT else name
        if (document.get("currentContext") or "") == wanted:
            return
        document.setdefault("auths", {})
        if name == DEFAULT_CONTEXT:
            document.pop("currentContext", None)
        else:
            document["currentContext"] = name
        os.makedirs(self.root, mode=0o700, exist_ok=True)
        temporary = self.config_file + ".runmagic-tmp"
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                  encoding="utf-8") as f:
            f.write(json.dumps(document, indent="\t"))
        os.replace(temporary, self.config_file)
