"""The stable summaries, the panel's HTML and the phrases both use."""

import re
from dataclasses import replace

from runmagic.display.masking import MASK
from runmagic.display.model import (
    MountInfo,
    PortMapping,
    RestartPolicy,
    removed,
    state_from_create,
    state_from_inspect,
)
from runmagic.display.phrases import duration_phrase, host_address, mount_phrase, port_url, time_phrase
from runmagic.display.sections import compact_html, header_html, panel_html, ports_html, restart_html
from runmagic.display.summary import summary_bundle, summary_html, summary_text
from tests.unit.test_display_model import RUNNING, inspect

CREATED = inspect(State__Status="created", State__StartedAt="0001-01-01T00:00:00Z", NetworkSettings={"Ports": {}},
                  Config__Env=["DB_PASSWORD=hunter22", "GREETING=hi"])


def test_full_summary_text():
    assert summary_text(state_from_inspect(CREATED), name_given=True) == "\n".join([
        "busybox httpd -f -p 80",
        "  name     web",
        "  ports    80/tcp → 127.0.0.1:random",
        "           81/udp → 0.0.0.0:8081",
        "  mounts   volume (anonymous) → /data",
        "           volume data → /named",
        "           tmpfs → /run",
        "           bind /srv → /srv (read-only)",
        "  restart  on-failure, at most 3 retries",
        f"  env      DB_PASSWORD={MASK}",
        "           GREETING=hi",
        ("  warning  port 81/udp is published on all interfaces, reachable from other machines "
         "(publish it on 127.0.0.1 to keep it local)"),
    ])


def test_summary_is_the_same_for_two_identical_runs():
    """Only IDs, generated names, times and anonymous volume names differ between two runs'
    inspects: none of them shows."""
    other = inspect(State__Status="created", NetworkSettings={"Ports": {}}, Id="f" * 64, Name="/eager_darwin",
                    Created="2027-01-01T00:00:00Z", Config__Env=["DB_PASSWORD=hunter22", "GREETING=hi"])
    other["Mounts"][2]["Name"] = "e" * 64
    assert summary_bundle(state_from_inspect(other)) == summary_bundle(state_from_inspect(CREATED))
    for text in summary_bundle(state_from_inspect(other)).values():
        for varying in ("eager_darwin", "f" * 12, "e" * 12, "2027", "hunter22"):
            assert varying not in text


def test_summary_html_escapes_and_carries_its_class():
    state = state_from_create({"Image": "busybox", "Cmd": ["echo", "<b>&"], "HostConfig": {}})
    html = summary_html(state)
    assert '<div class="runmagic-summary">' in html
    assert "&lt;b&gt;&amp;" in html and "<b>&" not in html


def test_compact_summary_has_exit_status_ports_and_mounts_only():
    body = {"Image": "busybox", "Cmd": ["true"], "Env": ["TOKEN=x1x1x1"],
            "HostConfig": {"Binds": ["/srv:/srv"], "Privileged": True,
                           "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}}}
    text = summary_text(state_from_create(body), exit_status=3)
    assert text == "busybox true: exit status 3\n  ports    80/tcp → 0.0.0.0:8080\n  mounts   bind /srv → /srv"
    assert summary_text(state_from_create({"Image": "busybox", "Cmd": ["true"]}), exit_status=0) == \
        "busybox true: exit status 0"


def test_compact_html_shows_duration():
    html = compact_html(state_from_create({"Image": "busybox", "Cmd": ["true"]}), 0, 0.42)
    assert "exit status 0" in html and "in 0.4 s" in html


def test_port_links():
    local = PortMapping("80", "tcp", "127.0.0.1", "49153")
    assert port_url(local, None) == "http://127.0.0.1:49153/"
    assert port_url(local, "/") == "/proxy/49153/"
    assert port_url(local, "/user/ann/") == "/user/ann/proxy/49153/"
    everywhere = PortMapping("80", "tcp", "", "8080")
    assert port_url(everywhere, None) == "http://localhost:8080/"
    assert port_url(everywhere, "/") == "/proxy/8080/"
    # The proxy connects to localhost: a port bound elsewhere is reached directly.
    assert port_url(PortMapping("80", "tcp", "192.0.2.7", "80"), "/") == "http://192.0.2.7:80/"
    assert port_url(PortMapping("80", "tcp", "::1", "80"), None) == "http://[::1]:80/"
    assert port_url(PortMapping("53", "udp", "127.0.0.1", "53"), None) is None
    assert port_url(PortMapping("80", "tcp", "127.0.0.1", ""), None) is None


def test_ports_html_links_only_bound_ports():
    running = state_from_inspect(RUNNING)
    html = ports_html(running, "/")
    assert re.search(r'<a class="runmagic-port-link" href="/proxy/49153/"[^>]*>127\.0\.0\.1:49153</a>', html)
    assert html.count("<a ") == 1  # udp has no link
    created = ports_html(state_from_inspect(CREATED), "/")
    assert "<a " not in created and "127.0.0.1:random" in created and "assigned when the container starts" in created


def test_ports_html_notes_discarded_ports():
    state = replace(state_from_inspect(RUNNING), ports=(), ports_discarded=True)
    assert "discarded when using host network mode" in ports_html(state, None)


def test_header_shows_badge_and_times():
    html = header_html(state_from_inspect(RUNNING))
    assert 'data-status="running"' in html and "7b8301fd1409" in html and "<b>web</b>" in html
    assert "up since 2026-11-28 07:00:02 UTC" in html
    exited = state_from_inspect(inspect(State__Status="exited", State__ExitCode=1,
                                        State__FinishedAt="2026-11-28T07:00:09.1Z"))
    html = header_html(exited)
    assert ">exited (1)<" in html and "exited at 2026-11-28 07:00:09 UTC" in html
    html = header_html(removed(exited))
    assert ">removed<" in html and "after exiting with status 1" in html


def test_restart_section():
    state = replace(state_from_inspect(RUNNING), restart_count=2, restart_exit_code=1)
    html = restart_html(state)
    assert "on-failure, at most 3 retries" in html and '<span class="runmagic-restart-count">2</span>' in html
    assert restart_html(replace(state, restart_policy=RestartPolicy())) == ""


def test_phrases():
    assert host_address(PortMapping("80", "tcp", "::", "80")) == "[::]:80"
    assert mount_phrase(MountInfo("bind", "/a", "/b", read_only=True, propagation="rshared")) == \
        "bind /a → /b (read-only, rshared)"
    assert time_phrase("2026-11-28T07:00:02.125783268Z") == "2026-11-28 07:00:02 UTC"
    assert time_phrase("") == ""
    assert duration_phrase(0.333) == "0.3 s" and duration_phrase(125) == "2 min 5 s"


def test_panel_html_leaves_out_empty_sections():
    bare = panel_html(state_from_create({"Image": "busybox", "Cmd": ["true"], "HostConfig": {}}), None)
    assert "<code>busybox true</code>" in bare
    for title in ("Ports", "Mounts", "Restart", "Environment", "⚠"):
        assert title not in bare
    full = panel_html(state_from_inspect(RUNNING), None)
    for title in ("Ports", "Mounts", "Restart", "Environment", "⚠"):
        assert title in full
