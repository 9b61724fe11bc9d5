"""Serving the live page offline: solara's server, its assets from the local package.

Solara serves browser assets (Vue, Vuetify, fonts, require.js) under ``/_solara/cdn``
from a cache folder, fetching a missing file from a public CDN. The ``solara-assets``
package (installed with the ``explore`` extra, the same minor version as solara) fills
that folder at install time, so nothing is fetched at run time. The server also sends
usage telemetry and checks PyPI for a newer solara unless told not to; both are off here.
"""

from __future__ import annotations

import os
import threading
import time
import webbrowser
from collections.abc import Callable

from longgame.errors import InputError

__all__ = ["APP", "offline_environment", "prepare", "serve"]

#: the module solara serves (its ``Page`` component)
APP = "longgame.explore.app"


def offline_environment() -> dict[str, str]:
    """Environment settings that keep solara from reaching the network.

    ``SOLARA_ASSETS_CDN`` points at a closed local port, so a missing asset fails at
    once instead of being fetched (the browser test relies on it to catch one).
    """
    return {
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
        "SOLARA_APP": APP,
    }


def _check_assets() -> None:
    """Refuse to start when the offline assets are not installed (or do not match)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        have, want = version("solara-assets"), version("solara")
    except PackageNotFoundError as exc:
        raise InputError(
            f"explore: package {exc.name!r} is not installed; expected the explore extra "
            "(pip install 'longgame[explore]', or make demo)"
        ) from None
    if have.split(".")[:2] != want.split(".")[:2]:
        raise InputError(
            f"explore: solara-assets {have} does not match solara {want}; expected the same "
            "minor version (pip install 'longgame[explore]')"
        )


#: What :func:`prepare` says when it takes a while.
PREPARING = (
    "longgame explore: getting the market's compiled kernels ready (compiled once per "
    "machine, about 10 s the first time)..."
)


def prepare(notice: Callable[[str], None] | None = None, after: float = 1.0) -> None:
    """Play each market scene for a few periods on a small market, so that the market's
    compiled kernels are in memory before the page asks for them (numba compiles them on
    a machine's first use, about 10 s, and loads them from its cache after: without this
    the first scene would hang that long). ``notice`` is called with :data:`PREPARING`
    if this takes more than ``after`` seconds."""
    from longgame.explore._scenes import SCENES

    timer = threading.Timer(after, notice, (PREPARING,)) if notice is not None else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        for scene in SCENES:
            if scene.kind == "market":
                scene.model(**{**scene.knobs, "customers": 200, "seed": 0}).run_for(3)
    finally:
        if timer is not None:
            timer.cancel()


def serve(
    port: int = 8765,
    host: str = "127.0.0.1",
    *,
    open_browser: bool = True,
    on_ready: Callable[[str], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> None:
    """Serve the page at ``http://host:port`` until interrupted (blocks).

    The market's compiled kernels are made ready first (:func:`prepare`; ``notice``
    hears about it if that is slow); ``on_ready`` is called with the URL once the server
    listens (the CLI prints it).
    """
    if not 0 < port < 65536:
        raise InputError(f"explore: --port={port} is invalid; expected 1..65535")
    _check_assets()
    prepare(notice)
    for key, value in offline_environment().items():
        os.environ.setdefault(key, value)
    os.environ["SOLARA_APP"] = APP
    import warnings

    import uvicorn
    from solara.server import settings

    # solara warns on every plain-http connection that it falls back to samesite=lax
    # cookies, which is right for a local page
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")

    settings.main.mode = "production"
    settings.telemetry.mixpanel_enable = False
    url = f"http://{host}:{port}"
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    config = uvicorn.Config(
        "solara.server.starlette:app", host=host, port=port, log_level="warning"
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started:
            if getattr(server, "should_exit", False):
                return
            time.sleep(0.05)
        if on_ready is not None:
            on_ready(url)
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
