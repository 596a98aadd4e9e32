"""What every companion command needs from the engine: a context, raw requests, errors.

This layer (with the command modules next to it) is the only one that talks
to the engine. A :class:`Context` carries the client, the cell's writers, the
streaming settings shared with ``%docker_run`` and, from the IPython adapter,
the cell body and the ways to ask the user or show live progress.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import docker.errors

from ..runner import RunSettings
from .errors import CommandError, DaemonResponse, joined

Writer = Callable[[str], None]


@dataclass
class Context:
    api: object  # docker.APIClient
    out: Writer
    err: Writer
    settings: RunSettings = field(default_factory=RunSettings)
    #: The cell body, sent to the container's stdin by attach/exec/start -i.
    stdin: bytes | None = None
    #: Asks a yes/no question (docker's prompts); None when nobody can answer.
    confirm: Callable[[str], bool] | None = None
    #: Shows a live view that has ``text()``/``html()``; returns an update function.
    show_live: Callable[[object], Callable[[], None]] | None = None
    #: Sends what the writers buffered, when a stream's first output arrives.
    flush: Callable[[], None] = lambda: None

    @property
    def api_version(self) -> str:
        return self.api.api_version


def daemon_error(exc: docker.errors.APIError) -> DaemonResponse:
    explanation = exc.explanation
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", errors="replace")
    return DaemonResponse(str(explanation or exc).strip(), not_found=exc.status_code == 404)


def _checked(api, response):
    """The response, or the engine's refusal as DaemonResponse."""
    try:
        api._raise_for_status(response)
    except docker.errors.APIError as exc:
        raise daemon_error(exc) from None
    return response


def get_raw(api, path: str, *path_args: str, params: dict | None = None) -> bytes:
    """GET a JSON document and return the engine's bytes (for byte-exact output)."""
    return _checked(api, api._get(api._url(path, *path_args), params=params or {})).content


def get_json(api, path: str, *path_args: str, params: dict | None = None):
    return json.loads(get_raw(api, path, *path_args, params=params))


def post(api, path: str, *path_args: str, params: dict | None = None, body=None,
         wait: bool = False):
    """POST and return the decoded answer (None when the engine sends none).
    ``wait``: no client timeout, for requests that last as long as a container
    takes to stop."""
    url = api._url(path, *path_args)
    options = {"params": params or {}, **({"timeout": None} if wait else {})}
    if body is None:
        response = api._post(url, **options)
    else:
        response = api._post_json(url, data=body, **options)
    content = _checked(api, response).content
    return json.loads(content) if content else None


def delete(api, path: str, *path_args: str, params: dict | None = None) -> None:
    _checked(api, api._delete(api._url(path, *path_args), params=params or {}))


def filters_param(filters: dict[str, list[str]]) -> dict:
    """The ``filters`` query parameter, as the docker CLI encodes it."""
    if not filters:
        return {}
    return {"filters": json.dumps({name: {value: True for value in values}
                                   for name, values in filters.items()})}


def container(api, ref: str) -> dict:
    """``GET /containers/{ref}/json``: the engine resolves a full ID, a unique
    prefix or a name, and refuses an ambiguous prefix in docker's words."""
    return get_json(api, "/containers/{0}/json", ref)


def each(refs: list[str], action: Callable[[str], None], out: Writer) -> None:
    """Run ``action`` on every ref, print the ones that succeeded, and raise
    all failures together afterwards, one per line (docker's errors.Join)."""
    failures = []
    for ref in refs:
        try:
            action(ref)
        except CommandError as exc:
            failures.append(exc)
            continue
        out(ref + "\n")
    if failures:
        raise joined(failures)
