"""Short HTML summaries for notebooks (``_repr_html_``), shared by the result objects.

Jupyter shows an object's ``_repr_html_`` instead of its repr; a summary here is a
heading and a two-column table of facts, escaped, with no styles or scripts, so that it
reads the same in JupyterLab, VS Code and a static HTML export.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["summary_html"]


def summary_html(title: str, facts: Iterable[tuple[str, object]], note: str = "") -> str:
    """A heading, one table row per ``(label, value)`` fact, and an optional note.

    >>> print(summary_html("Results", [("model", "market")], "a <note>"))
    <div><strong>Results</strong><table><tr><th style="text-align:left">model</th><td
    style="text-align:left">market</td></tr></table><p>a &lt;note&gt;</p></div>
    """
    rows = "".join(
        f'<tr><th style="text-align:left">{html.escape(str(label))}</th>'
        f'<td style="text-align:left">{html.escape(str(value))}</td></tr>'
        for label, value in facts
    )
    tail = f"<p>{html.escape(note)}</p>" if note else ""
    return f"<div><strong>{html.escape(title)}</strong><table>{rows}</table>{tail}</div>"
