"""``longgame explore``: serve the live what-if page (imports solara only when run)."""

from __future__ import annotations

import click

__all__ = ["explore"]


@click.command()
@click.option("--port", type=int, default=8765, show_default=True, help="Port to serve on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (local only)."
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser tab.")
def explore(port: int, host: str, no_browser: bool) -> None:
    """Serve the live what-if page, scene by scene.

    Six scenes tell the story in order; every knob is live and the charts update as it
    plays.

    Works offline. Stop with Ctrl-C.
    """
    from longgame.explore import serve

    def ready(url: str) -> None:
        click.echo(f"longgame explore: open {url}  (Ctrl-C to stop)", err=False)

    def notice(message: str) -> None:
        click.echo(message, err=True)

    serve(port, host, open_browser=not no_browser, on_ready=ready, notice=notice)
