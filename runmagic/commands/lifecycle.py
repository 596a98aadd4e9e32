"""``docker start``, ``stop``, ``restart``, ``kill``, ``rm``, ``wait`` and ``port``.

Each takes several containers as docker does: it prints each one that
succeeded and raises every failure together, one per line.
"""

from __future__ import annotations

import re

from runmagic.errors import Interrupted
from runmagic.result import CommandOutput
from runmagic.golang.strconv import go_quote
from runmagic.commands.context import Context, each
from runmagic.errors import CommandError, DaemonResponse, joined
from runmagic.formatting.listing import natural_less_key


def _supports_stop_signal(engine) -> bool:
    major, minor = (int(p) for p in engine.api_version.split(".")[:2])
    return (major, minor) >= (1, 42)


def _stop_params(engine, timeout: int | None, signal: str) -> dict:
    params = {}
    if timeout is not None:
        params["t"] = timeout
    if signal and _supports_stop_signal(engine):
        # Before API 1.42 the docker CLI drops the signal and so does runmagic.
        params["signal"] = signal
    return params


def stop_one(engine, ref: str, timeout: int | None = None, signal: str = "") -> None:
    engine.post("/containers/{0}/stop", ref, params=_stop_params(engine, timeout, signal), wait=True)


def restart_one(engine, ref: str, timeout: int | None = None, signal: str = "") -> None:
    engine.post("/containers/{0}/restart", ref, params=_stop_params(engine, timeout, signal),
                wait=True)


def kill_one(engine, ref: str, signal: str = "") -> None:
    engine.post("/containers/{0}/kill", ref, params={"signal": signal} if signal else {})


def remove_one(engine, ref: str, force: bool = False, volumes: bool = False, link: bool = False) -> None:
    ref = ref.strip("/")
    if not ref:
        raise CommandError("container name cannot be empty")
    engine.delete("/containers/{0}", ref,
                  params={"v": int(volumes), "link": int(link), "force": int(force)})


def wait_one(engine, ref: str) -> int:
    """The container's exit status once it stops (no client timeout)."""
    return engine.post("/containers/{0}/wait", ref, wait=True)["StatusCode"]


def _timeout(parsed) -> int | None:
    if "time" in parsed and "timeout" in parsed:
        raise CommandError("conflicting options: cannot specify both --timeout and --time")
    if "timeout" in parsed:
        return parsed.get("timeout")
    if "time" in parsed:
        return parsed.get("time")
    return None


def _signal_note(ctx: Context, parsed) -> None:
    if parsed.get("signal") and not _supports_stop_signal(ctx.engine):
        ctx.err(f"WARNING: --signal needs API version 1.42; the engine (API {ctx.engine.api_version}) "
                "sends the container's stop signal\n")


def start(ctx: Context, parsed) -> None:
    """``%docker_start`` without ``-a``/``-i``: start each container."""
    failed = []
    for ref in parsed.args:
        try:
            ctx.engine.post("/containers/{0}/start", ref)
        except DaemonResponse as exc:
            ctx.err(f"{exc}\n")
            failed.append(ref)
            continue
        ctx.out(ref + "\n")
    if failed:
        raise CommandError(f"Error: failed to start containers: {', '.join(failed)}")


def stop(ctx: Context, parsed) -> None:
    timeout, signal = _timeout(parsed), parsed.get("signal") or ""
    _signal_note(ctx, parsed)
    each(parsed.args, lambda ref: stop_one(ctx.engine, ref, timeout, signal), ctx.out)


def restart(ctx: Context, parsed) -> None:
    timeout, signal = _timeout(parsed), parsed.get("signal") or ""
    _signal_note(ctx, parsed)
    each(parsed.args, lambda ref: restart_one(ctx.engine, ref, timeout, signal), ctx.out)


def kill(ctx: Context, parsed) -> None:
    signal = parsed.get("signal") or ""
    each(parsed.args, lambda ref: kill_one(ctx.engine, ref, signal), ctx.out)


def remove(ctx: Context, parsed) -> None:
    force = parsed.get("force")
    failures = []
    for ref in parsed.args:
        try:
            remove_one(ctx.engine, ref, force=force, volumes=parsed.get("volumes"), link=parsed.get("link"))
        except DaemonResponse as exc:
            if force and exc.not_found:
                ctx.err(f"{exc}\n")  # with --force a missing container is no failure
            else:
                failures.append(exc)
            continue
        except CommandError as exc:
            failures.append(exc)
            continue
        ctx.out(ref + "\n")
    if failures:
        raise joined(failures)


def wait(ctx: Context, parsed) -> None:
    """``%docker_wait``: each container's exit status as it stops; an
    interrupt stops the waiting, never the containers."""
    failures = []
    try:
        for ref in parsed.args:
            try:
                ctx.out(f"{wait_one(ctx.engine, ref)}\n")
            except CommandError as exc:
                failures.append(exc)
    except KeyboardInterrupt:
        raise Interrupted("Interrupted: stopped waiting; the containers keep running",
                          exit_status=130) from None
    if failures:
        raise joined(failures)


def _join_host_port(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def port_lines(engine, ref: str, private: str = "") -> list[str]:
    """``docker port``'s lines, in docker's (natural) order."""
    info = engine.inspect_container(ref)
    ports = (info.get("NetworkSettings") or {}).get("Ports") or {}
    lines = []
    if private:
        number, _, proto = private.partition("/")
        if not re.fullmatch(r"[0-9]+", number) or int(number) > 65535:
            why = "value out of range" if re.fullmatch(r"[0-9]+", number) else "invalid syntax"
            raise CommandError(f"Error: invalid port ({number}): strconv.ParseUint: parsing "
                               f"{go_quote(number)}: {why}")
        bindings = ports.get(f"{number}/{proto or 'tcp'}") or []
        if not bindings:
            raise CommandError(f"Error: No public port '{private}' published for {ref}")
        lines = [_join_host_port(b.get("HostIp", ""), b.get("HostPort", "")) for b in bindings]
    else:
        for port, bindings in ports.items():
            for binding in bindings or []:
                host = _join_host_port(binding.get("HostIp", ""), binding.get("HostPort", ""))
                lines.append(f"{port} -> {host}")
    return sorted(lines, key=natural_less_key)


def port(ctx: Context, parsed) -> CommandOutput | None:
    lines = port_lines(ctx.engine, parsed.args[0], parsed.args[1] if len(parsed.args) > 1 else "")
    return CommandOutput("".join(line + "\n" for line in lines), data=lines) if lines else None
