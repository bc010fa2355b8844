"""``python -m skimbgan benchmark ...``: the package's commands."""

import sys

COMMANDS = ("benchmark",)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: skimbgan {benchmark} [options]   (skimbgan benchmark --help)")
        return 0 if argv else 2
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
