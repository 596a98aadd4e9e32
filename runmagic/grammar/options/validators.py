"""The checks docker runs while parsing flags (its option types' ``Set``).

``PARSE_TIME_VALIDATORS`` maps a flag's long name to a callable taking the
flag's text and returning the value to store, or raising ValueError with
docker's words; the flag parser turns that into
``invalid argument "V" for "--flag" flag: MSG`` (status 125).

Values stored, per flag:

* ``attach``: ``"stdin"``/``"stdout"``/``"stderr"`` (lower-cased)
* ``env``: ``NAME=VALUE`` (a bare NAME takes the client's value if set)
* ``label``, ``link``, ``device-cgroup-rule``, ``sysctl``: the text itself
* ``dns``: the address in canonical form; ``dns-search``: the domain
  without a trailing dot; ``add-host``: ``name:address``
* ``blkio-weight-device``: ``{"Path", "Weight"}``; ``device-read-bps`` etc.:
  ``{"Path", "Rate"}``
* ``ulimit``: ``{"Name", "Hard", "Soft"}`` (see ``resources.ulimit_list``)
* ``mount``: the Engine Mount dict (relative sources against the process's
  current directory)
* ``gpus``: an Engine DeviceRequest dict
* ``network``: a :class:`runmagic.opts.network.NetworkAttachment`
"""

from __future__ import annotations

import os
from typing import Callable

from runmagic.grammar.options import container
from runmagic.grammar.options import env
from runmagic.grammar.options import network
from runmagic.grammar.options import resources
from runmagic.grammar.options import security
from runmagic.grammar.options import volumes


def _mount(text: str) -> dict:
    return volumes.parse_mount(text, os.getcwd())


PARSE_TIME_VALIDATORS: dict[str, Callable[[str], object]] = {
    "add-host": network.validate_extra_host,
    "attach": container.validate_attach,
    "blkio-weight-device": resources.parse_weight_device,
    "device-cgroup-rule": resources.validate_device_cgroup_rule,
    "device-read-bps": resources.parse_throttle_bps_device,
    "device-read-iops": resources.parse_throttle_iops_device,
    "device-write-bps": resources.parse_throttle_bps_device,
    "device-write-iops": resources.parse_throttle_iops_device,
    "dns": network.validate_ip_address,
    "dns-search": network.validate_dns_search,
    "env": env.validate_env,
    "gpus": resources.parse_gpus,
    "label": env.validate_label,
    "link": network.validate_link,
    "mount": _mount,
    "network": network.parse_network,
    "sysctl": security.validate_sysctl,
    "ulimit": resources.parse_ulimit,
}
