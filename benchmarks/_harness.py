"""What every benchmark script shares: its command line, its report, and
measurements of time and memory in a fresh process.

A script is a short file answering one question. It builds its parser with
:func:`parser`, measures (through :func:`in_fresh_process` when peak memory
matters), and ends with :meth:`Report.write`, which prints the result and
writes it under ``--out`` with what a reader needs to re-run it: the command,
the machine and the wall time.
"""

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time


def parser(doc, out=None):
    """An argument parser described by the first line of ``doc``, with
    ``--out`` (the Markdown report; ``out`` is its default, None prints only)."""
    p = argparse.ArgumentParser(
        description=doc.splitlines()[0], epilog=doc, formatter_class=argparse.RawTextHelpFormatter
    )
    p.add_argument("--out", default=out, help=f"write the report here too (default {out})")
    return p


def machine(device="cpu"):
    """One line naming the machine and the software a result was measured with."""
    import torch

    gpu = ""
    if str(device).startswith("cuda") and torch.cuda.is_available():
        gpu = f", GPU {torch.cuda.get_device_name(torch.device(device))}"
    return (
        f"{os.cpu_count()} CPU cores ({platform.machine()}, {platform.system()}){gpu}; "
        f"Python {platform.python_version()}, torch {torch.__version__} with "
        f"{torch.get_num_threads()} threads; device {device}"
    )


class Report:
    """The report of one run of a script, timed from its creation."""

    def __init__(self, script, argv=None, out=None):
        args = sys.argv[1:] if argv is None else list(argv)
        self.command = " ".join(["python -m benchmarks." + script, *args])
        self.out = out
        self.started = time.time()

    def text(self, settings, body, device="cpu"):
        seconds = time.time() - self.started
        return (
            f"{settings.rstrip()}\n\nMachine: {machine(device)}. Wall time {seconds:.0f} s "
            f"(results read from a cache count as zero).\n\nCommand: `{self.command}`\n\n"
            f"{body.rstrip()}\n"
        )

    def write(self, settings, body, device="cpu", rows=None):
        """Print the report and write it to ``--out`` (with ``rows``, a list
        of dicts, as a CSV of the same name beside it)."""
        text = self.text(settings, body, device)
        print(text)
        if self.out:
            os.makedirs(os.path.dirname(self.out) or ".", exist_ok=True)
            with open(self.out, "w") as f:
                f.write(text)
            if rows is not None:
                import pandas as pd

                pd.DataFrame(rows).to_csv(os.path.splitext(self.out)[0] + ".csv", index=False)
        return text


def rss_mb():
    """The current process's resident memory in MiB (Linux ``/proc``)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb():
    """The peak resident memory of this process's address space in MiB.

    Read from ``VmHWM`` in ``/proc/self/status``, which starts afresh with a
    new program image. ``getrusage``'s ``ru_maxrss`` is not used: a spawned
    process keeps the maximum of its parent at the fork, so a child of a large
    parent would report the parent's memory.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def _child(fn, args, queue):
    try:
        row = dict(fn(*args))
        row["peak_mb"] = peak_rss_mb()
        queue.put(row)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        queue.put({"error": repr(exc)})
        raise


def in_fresh_process(fn, *args):
    """``fn(*args)`` (a module-level function returning a dict) in a spawned
    process, so that its peak resident memory is its own: the dict comes back
    with ``peak_mb`` added. ``fn`` may record :func:`rss_mb` itself (say,
    after its imports) to separate the interpreter's share."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(fn, args, queue))
    process.start()
    row = queue.get()
    process.join()
    if "error" in row:
        raise RuntimeError(f"{fn.__name__}{args} failed in its process: {row['error']}")
    return row


def median(rows, key, **match):
    """Median of ``row[key]`` over the rows whose items equal ``match``."""
    values = [r[key] for r in rows if all(r.get(k) == v for k, v in match.items())]
    return statistics.median(values) if values else float("nan")


def run_fits(tasks, store, cached_only=False, say=None, fresh=None):
    """The engine of the scripts that fit many models: the row of each task,
    read from ``store`` (a :class:`RowStore`) when it holds one, else fitted
    and put there at once, so that an interrupted run resumes.

    ``tasks``: ``(key, fit)`` pairs, ``fit()`` returning the task's row (a
    dict that JSON can write). ``cached_only``: skip the tasks not cached
    (the report of an unfinished run). ``say(row)``: a line printed after
    each task. ``fresh(row)``: False for a cached row that must be fitted
    again (one made by earlier code whose numbers are not today's). The
    store is packed when the tasks end, also when they are interrupted.
    Returns the rows, in the order of ``tasks``.
    """
    rows = []
    try:
        for key, fit in tasks:
            row = store.get(key)
            if row is not None and fresh is not None and not fresh(row):
                row = None
            if row is None:
                if cached_only:
                    continue
                row = fit()
                store.put(key, row)
            rows.append(row)
            if say is not None:
                print(say(row), flush=True)
    finally:
        store.pack()
    return rows


class RowStore:
    """One result row per fit, kept in a folder as one packed file.

    A script caches the row of each finished fit under a key, so that a
    re-run resumes. :meth:`put` writes ``KEY.json`` at once (an interrupted
    run keeps what it finished); :meth:`pack` merges those files into
    ``rows.jsonl.gz`` (one JSON line per key, sorted, gzip without a time
    stamp: the same rows give the same bytes) and removes them, so a
    repository keeps one file per folder, not one per fit. :meth:`get` reads
    both.
    """

    PACKED = "rows.jsonl.gz"

    def __init__(self, folder):
        self.folder = folder
        self._packed = None

    def _path(self, key):
        return os.path.join(self.folder, key + ".json")

    def packed(self):
        """``{key: row}`` of the packed file (empty if none)."""
        import gzip
        import json

        if self._packed is None:
            path = os.path.join(self.folder, self.PACKED)
            self._packed = {}
            if os.path.exists(path):
                with gzip.open(path, "rt", encoding="utf-8") as f:
                    for line in f:
                        if line.strip():
                            entry = json.loads(line)
                            self._packed[entry["key"]] = entry["row"]
        return self._packed

    def get(self, key):
        """The row cached under ``key``, or None."""
        import json

        if os.path.exists(self._path(key)):
            with open(self._path(key)) as f:
                return json.load(f)
        return self.packed().get(key)

    def put(self, key, row):
        import json

        os.makedirs(self.folder, exist_ok=True)
        tmp = self._path(key) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(row, f)
        os.replace(tmp, self._path(key))

    def pack(self):
        """Merge the loose rows into the packed file and remove them."""
        import gzip
        import json

        if not os.path.isdir(self.folder):
            return
        loose = sorted(n for n in os.listdir(self.folder) if n.endswith(".json"))
        if not loose:
            return
        # read the packed file afresh: another process (a --cached-only
        # report, say) may have packed rows since this one first read it
        self._packed = None
        rows = dict(self.packed())
        for name in loose:
            with open(os.path.join(self.folder, name)) as f:
                rows[name[: -len(".json")]] = json.load(f)
        path = os.path.join(self.folder, self.PACKED)
        with open(path + ".tmp", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
                for key in sorted(rows):
                    f.write((json.dumps({"key": key, "row": rows[key]}) + "\n").encode("utf-8"))
        os.replace(path + ".tmp", path)
        self._packed = rows
        for name in loose:
            os.remove(os.path.join(self.folder, name))
