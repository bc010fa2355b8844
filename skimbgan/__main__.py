"""``python -m skimbgan benchmark ...``: the package's commands.

``--help`` and ``--version`` answer without loading torch: the estimators are
imported only when a command runs.
"""

import sys

COMMANDS = ("benchmark",)
USAGE = "usage: skimbgan [--version] {benchmark} [options]   (skimbgan benchmark --help)"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] in ("-V", "--version"):
        from . import __version__

        print(f"skimbgan {__version__}")
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(
            f"skimbgan: unknown command {command!r}; commands: {', '.join(COMMANDS)}",
            file=sys.stderr,
        )
        return 2
    from .benchmark import main as benchmark

    return benchmark(rest)


if __name__ == "__main__":
    sys.exit(main())
