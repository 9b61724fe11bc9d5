"""Errors that mean "the user gave bad input".

Everything a user can get wrong (a config value, a CLI argument, a game parameter, a
strategy name) raises :class:`InputError`, a :class:`ValueError`. The CLI turns it
into one line per problem on stderr and exit code 2, with no traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["InputError", "closest_names"]


class InputError(ValueError):
    """Bad user input: names the input, the bad value and what was expected.

    ``problems`` holds one line per problem, so that a config with several mistakes
    reports all of them at once; ``str(error)`` joins them with newlines.
    """

    def __init__(self, *problems: str) -> None:
        if not problems:
            raise TypeError("InputError needs at least one problem description")
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))

    @classmethod
    def collect(cls, errors: Iterable[InputError]) -> InputError:
        """Merge several errors into one that lists every problem."""
        return cls(*(p for e in errors for p in e.problems))


def closest_names(name: str, known: Sequence[str], n: int = 3) -> str:
    """A hint like ``"did you mean 'tit-for-tat'?"`` (empty if nothing is close)."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=n, cutoff=0.5)
    if not close:
        return ""
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
