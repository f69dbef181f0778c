"""Launcher so `python cli.py ...` works from a checkout without installing."""

from dedupe.cli import main

if __name__ == "__main__":
    main()
