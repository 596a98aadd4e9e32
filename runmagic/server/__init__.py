"""runmagic's jupyter_server extension: a small REST API over the Docker engine for JupyterLab.

Enabled by ``jupyter-config/server-config/runmagic.json`` (installed to
``etc/jupyter/jupyter_server_config.d``), or with
``--ServerApp.jpserver_extensions='{"runmagic.server": true}'``. Every route sits behind
Jupyter's authentication (and, for requests that change anything, its XSRF check); see
:mod:`runmagic.server.handlers` for the routes.
"""

from __future__ import annotations

from runmagic.server.handlers import NOTEBOOK_LABEL, proxy_loaded, setup_handlers

__all__ = ["NOTEBOOK_LABEL", "setup_handlers"]


def _jupyter_server_extension_points():
    return [{"module": "runmagic.server"}]


def _load_jupyter_server_extension(server_app):
    engine = setup_handlers(server_app.web_app, log=server_app.log)
    if proxy_loaded(server_app):
        engine.proxy_base = server_app.web_app.settings.get("base_url", "/")
    server_app.log.info("runmagic: containers and images API at %srunmagic/",
                        server_app.web_app.settings.get("base_url", "/"))


# jupyter_server < 2 name
load_jupyter_server_extension = _load_jupyter_server_extension
