"""``python -m longgame`` is the ``longgame`` command."""

from longgame.cli import main

main()
