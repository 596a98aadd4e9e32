"""A TTY container's terminal in its panel ("attached", "detached" with Attach), and the
engine a panel names when it is not the default one."""

import copy
from types import SimpleNamespace

import pytest

from runmagic.display.model import attachments_after, follow, state_from_create, state_from_inspect
from runmagic.display.sections import panel_html
from runmagic.engine.endpoint import DEFAULT_HOST, Endpoint

CID = "ab" * 32
INSPECT = {
    "Id": CID, "Name": "/shell", "Created": "2026-11-28T07:00:01Z", "Image": "sha256:cc20",
    "State": {"Status": "running", "ExitCode": 0, "StartedAt": "2026-11-28T07:00:02Z",
              "FinishedAt": "0001-01-01T00:00:00Z"},
    "Config": {"Image": "busybox", "Cmd": ["sh"], "Tty": True, "OpenStdin": True, "Env": []},
    "HostConfig": {"NetworkMode": "none"},
}


def inspect(status="running", tty=True):
    info = copy.deepcopy(INSPECT)
    info["State"]["Status"] = status
    info["Config"]["Tty"] = tty
    return info


def test_attach_and_detach_events_count_the_clients():
    assert attachments_after(0, "attach") == 1
    assert attachments_after(2, "detach") == 1
    assert attachments_after(0, "detach") == 0  # a closed connection after the last detach
    assert attachments_after(2, "die") == 0
    assert attachments_after(1, "start") == 1  # docker run -it attaches before it starts


def test_a_running_tty_container_is_attached_until_its_last_client_detaches():
    state = state_from_inspect(inspect())
    assert state.tty and state.terminal == "detached"  # started with -itd: nobody attached
    for action, expected in [("attach", "attached"), ("attach", "attached"), ("start", "attached"),
                             ("detach", "attached"), ("detach", "detached"), ("attach", "attached")]:
        state = follow(state, state_from_inspect(inspect()), action=action)
        assert state.terminal == expected, action
    exited = follow(state, state_from_inspect(inspect("exited")), died_with=0, action="die")
    assert exited.terminal == "" and exited.attachments == 0


def test_no_terminal_without_a_tty():
    assert state_from_inspect(inspect(tty=False)).terminal == ""
    assert state_from_create({"Image": "busybox", "Tty": True}).tty


def test_a_detached_panel_offers_attach_as_a_cell_to_insert():
    html = panel_html(state_from_inspect(inspect()), None)
    assert 'data-terminal="detached"' in html
    assert '<button class="runmagic-attach" data-runmagic-insert-cell="%docker_attach shell"' in html
    assert "<code>%docker_attach shell</code>" in html
    attached = panel_html(follow(state_from_inspect(inspect()), state_from_inspect(inspect()),
                                 action="attach"), None)
    assert 'data-terminal="attached"' in attached and "runmagic-attach" not in attached
    plain = panel_html(state_from_inspect(inspect(tty=False)), None)
    assert "runmagic-terminal" not in plain and "Terminal" not in plain


REMOTE = Endpoint("tcp://10.0.0.7:2376", "build-box", "DOCKER_CONTEXT")


@pytest.mark.parametrize("endpoint, note", [
    (Endpoint(DEFAULT_HOST), ""),
    (Endpoint("unix:///run/user/1000/docker.sock", source="DOCKER_HOST"), "unix:///run/user/1000/docker.sock"),
    (REMOTE, "tcp://10.0.0.7:2376 (context 'build-box')"),
])
def test_only_an_engine_other_than_the_default_is_named(endpoint, note):
    assert endpoint.note == note
    html = panel_html(state_from_inspect(inspect()), None, engine=endpoint.note)
    assert (f'<div class="runmagic-engine" style="color:var(--jp-ui-font-color2, #666)">engine: '
            in html) == bool(note)


class FakeControl:
    """What a panel asks of the engine: inspect answers from a list of states."""

    def __init__(self, endpoint, infos):
        self.engine = SimpleNamespace(endpoint=endpoint)
        self.container_id = CID
        self._infos = infos

    def inspect(self):
        return self._infos.pop(0)


def test_the_live_panel_follows_a_detach_and_names_its_engine():
    from runmagic.display.panel import ContainerPanel

    control = FakeControl(REMOTE, [inspect(), inspect(), inspect("exited")])
    panel = ContainerPanel(control, state_from_inspect(inspect()))
    try:
        assert "engine: tcp://10.0.0.7:2376 (context &#x27;build-box&#x27;)" in panel.info.value
        panel._on_event({"Action": "attach"})
        assert 'data-terminal="attached"' in panel.info.value
        panel._on_event({"Action": "detach"})
        assert 'data-terminal="detached"' in panel.info.value and "%docker_attach shell" in panel.info.value
        panel._on_event({"Action": "die", "Actor": {"Attributes": {"exitCode": "0"}}})
        assert "runmagic-terminal" not in panel.info.value and "runmagic-attach" not in panel.info.value
    finally:
        panel.close()
