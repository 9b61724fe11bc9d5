"""``python -m longgame`` is the ``longgame`` command."""

from longgame.cli import main

if __name__ == "__main__":
    main()
