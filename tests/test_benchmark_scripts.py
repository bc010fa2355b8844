"""The benchmark scripts under benchmarks/: every one answers --help, the
harness measures in a fresh process and writes its report, and the quick
scripts run end to end on tiny settings."""

import importlib
import pathlib

import pytest

SCRIPTS = sorted(
    path.stem
    for path in (pathlib.Path(__file__).parents[1] / "benchmarks").glob("*.py")
    if not path.stem.startswith("_") and path.stem != "diagnostics"
)


def test_the_scripts_are_found():
    assert {"performance", "quality", "ablation", "egan", "gpu", "behaviour"} <= set(SCRIPTS)


@pytest.mark.parametrize("name", [s for s in SCRIPTS if s != "behaviour"])
def test_every_script_answers_help(name, capsys):
    module = importlib.import_module(f"benchmarks.{name}")
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--help"])
    assert exit_info.value.code == 0
    assert "--out" in capsys.readouterr().out


def _allocate(n_mb):
    import numpy as np

    block = np.ones(n_mb * 2**20 // 8)
    return {"total": float(block.sum())}


def test_fresh_process_reports_its_own_peak_memory():
    from benchmarks._harness import in_fresh_process

    small = in_fresh_process(_allocate, 1)
    large = in_fresh_process(_allocate, 200)
    assert small["total"] == 2**20 / 8
    assert large["peak_mb"] - small["peak_mb"] > 150


def test_report_names_the_command_machine_and_writes_csv(tmp_path):
    from benchmarks._harness import Report

    out = tmp_path / "r.md"
    text = Report("quality", ["--datasets", "pima"], str(out)).write(
        "Settings.", "| a |\n|--|\n| 1 |", rows=[{"a": 1}]
    )
    assert out.read_text() == text
    assert "`python -m benchmarks.quality --datasets pima`" in text
    assert "CPU cores" in text and "torch" in text
    assert (tmp_path / "r.csv").read_text().splitlines() == ["a", "1"]


def test_quality_runs_on_one_small_data_set(tmp_path):
    from benchmarks import quality

    out = tmp_path / "q.md"
    quality.main([
        "--datasets", "ecoli1", "--folds", "2", "--repeats", "1",
        "--methods", "none", "smote", "polarity",
        "--sampler-params", '{"n_steps": 5, "pretrain_steps": 2}',
        "--cache-dir", str(tmp_path / "cache"), "--out", str(out),
    ])  # fmt: skip
    text = out.read_text()
    assert "| polarity " in text and "spread_ratio" in text
    rows = (tmp_path / "q.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 * 3 * 2  # header, 2 splits x 3 methods x 2 classifiers
