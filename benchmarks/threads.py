"""The default `skimbgan benchmark` alone and beside a CPU-bound process, before and after the
per-worker thread limit.

Runs the benchmark's built-in default (the quick profile) from two source
trees: ``--before`` (a git revision, checked out into a temporary worktree;
default ``5b951fc~1``, the last revision whose workers used every core's
threads each) and this checkout. Each is timed in a fresh output folder (no
cache): on a quiet machine, and beside one other CPU-bound process (``--busy``:
a single-threaded Python busy loop, and a torch loop with torch's default
threads, as a second training job would be). A run longer than
``--timeout`` seconds is stopped and reported as such.

    python -m benchmarks.threads --out benchmarks/results/threads.md

Quote it only from a machine with nothing else running: the point is the
difference between its rows.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

from ._harness import Report, parser

#: The other process: a single-threaded Python busy loop, or a torch program
#: with torch's default threads (one per core), as a second training job is.
BUSY = {
    "python": "while True:\n    pass\n",
    "torch": (
        "import torch\na = torch.randn(512, 512)\nwhile True:\n    a = torch.tanh(a @ a / 512)\n"
    ),
}


def run(tree, args, out, busy, timeout):
    """Wall seconds of ``python -m skimbgan benchmark ARGS --out OUT`` from
    ``tree`` (None when stopped at ``timeout``), its exit status, and the
    skimbgan module it imported (to show that the tree was the one run)."""
    env = {**os.environ, "PYTHONPATH": tree}
    where = subprocess.run(
        [sys.executable, "-c", "import skimbgan; print(skimbgan.__file__)"],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    other = subprocess.Popen([sys.executable, "-c", BUSY[busy]]) if busy else None
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "skimbgan", "benchmark", *args, "--out", out],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        seconds, code = time.perf_counter() - start, done.returncode
    except subprocess.TimeoutExpired:
        seconds, code = None, "stopped"
    finally:
        if other is not None:
            other.kill()
            other.wait()
    return seconds, code, where


def main(argv=None):
    p = parser(__doc__, out="benchmarks/results/threads.md")
    p.add_argument("--before", default="5b951fc~1", help="git revision of the 'before' tree")
    p.add_argument("--timeout", type=float, default=1500, help="seconds before a run is stopped")
    p.add_argument(
        "--busy",
        default="python,torch",
        help="comma-separated kinds of the other process: python, torch (default both)",
    )
    args = p.parse_args(argv)
    report = Report("threads", argv, args.out)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = tempfile.mkdtemp(prefix="skimbgan-threads-")
    before = os.path.join(root, "before")
    subprocess.run(
        ["git", "-C", here, "worktree", "add", "--detach", before, args.before],
        check=True,
        capture_output=True,
    )
    # the revision before the change defaulted to one job; dev.sh passed --n-jobs 2
    plans = [
        (
            f"before (`{args.before}`), `--n-jobs 2`",
            before,
            ["--quiet", "--no-plots", "--n-jobs", "2"],
        ),
        ("after (this checkout), default jobs", here, ["--quiet", "--no-plots"]),
    ]
    rows = []
    try:
        for label, tree, extra in plans:
            for busy in [None, *args.busy.split(",")]:
                out = os.path.join(root, f"out-{len(rows)}")
                seconds, code, where = run(tree, extra, out, busy, args.timeout)
                rows.append((label, busy, seconds, code, where))
                shutil.rmtree(out, ignore_errors=True)
                print(rows[-1], flush=True)
    finally:
        subprocess.run(
            ["git", "-C", here, "worktree", "remove", "--force", before], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)

    def shown(seconds):
        return f"> {args.timeout:.0f} (stopped)" if seconds is None else f"{seconds:.0f}"

    lines = ["| code | beside | wall time s | slow-down | exit status |", "|:--|:--|--:|--:|--:|"]
    alone_of = {label: seconds for label, busy, seconds, *_ in rows if busy is None}
    beside = {None: "nothing", "python": "a Python busy loop", "torch": "a torch loop"}
    for label, busy, seconds, code, _ in rows:
        alone = alone_of[label]
        ratio = "" if seconds is None or alone is None else f"{seconds / alone:.2f}x"
        lines.append(f"| {label} | {beside[busy]} | {shown(seconds)} | {ratio} | {code} |")
    settings = (
        "The benchmark's built-in default (`skimbgan benchmark`: quick profile, its default "
        "methods, lr and rf, 210 runs), each time into a fresh output folder (no cache), alone "
        "and beside one other CPU-bound process: a single-threaded Python busy loop, or a torch "
        "loop of 512 x 512 matrix products with torch's default threads (one per core). "
        "Slow-down: the run beside the other process over the same code's run alone."
    )
    trees = sorted(
        {
            f"`{os.path.relpath(where, root) if where.startswith(root) else where}`"
            for *_, where in rows
        }
    )
    lines.append(f"\nskimbgan imported from: {', '.join(trees)}.")
    report.write(settings, "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
