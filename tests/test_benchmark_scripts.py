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


def test_polarity_small_splits_and_tables():
    """The development rows never overlap the subset's training rows, and the
    report pairs each GAN variant with its twin and with the baseline."""
    import numpy as np

    from benchmarks import polarity_small as ps

    y = np.repeat(np.arange(10), 1600)
    for name, counts in ps.SUBSETS.items():
        rows = ps.subset_rows(y, counts, 0)
        dev = ps.dev_rows(y, counts, rows, 0)
        assert not set(rows) & set(dev)
        assert np.bincount(y[rows], minlength=10)[list(counts)].tolist() == list(counts.values())
        assert set(y[dev]) == set(counts) and len(dev) == ps.DEV_PER_CLASS * len(counts), name
    results = [
        dict(method=m, subset=s, seed=seed, macro_f1=f, dev_macro_f1=f - 0.01, fit_seconds=1.0)
        for seed in (0, 1)
        for s in ("tops", "shoes")
        for m, f in (("emb-lr-balanced", 0.8), ("ft-frozen-224", 0.85), ("pgan-frozen-224", 0.86))
    ]
    settings, body = ps.tables(results)
    assert "tops" in settings and "four" not in settings
    assert "| pgan-frozen-224 - ft-frozen-224 | +0.010 | +0.010 | +0.010 | 4 of 4 |" in body
    assert "| ft-frozen-224 - emb-lr-balanced | +0.050 |" in body


def test_polarity_small_variants_start_from_the_earlier_or_todays_defaults():
    """Published variants keep the training they were measured with when the
    classifier's defaults change; the *-auto ones are today's defaults."""
    from benchmarks import polarity_small as ps
    from benchmarks._image_protocols import EARLIER_DEFAULTS
    from skimbgan import PolarityGANClassifier

    assert ps.variant_params("pgan") == EARLIER_DEFAULTS
    assert ps.variant_params("ft-auto") == {"use_gan": False}
    frozen = ps.variant_params("ft-frozen-224")
    assert frozen["trainable_stages"] == 0 and frozen["balanced_sampling"] is True
    # every earlier default is a parameter whose value today differs
    defaults = PolarityGANClassifier().get_params()
    assert all(defaults[k] != v for k, v in EARLIER_DEFAULTS.items())


def test_polarity_decoupled_tables():
    from argparse import Namespace

    from benchmarks import polarity_decoupled as pd_

    results = [
        dict(head=h, seed=seed, macro_f1=f + seed / 100, per_class_f1=[f] * 10,
             stage1_seconds=60.0, head_seconds=1.0)
        for seed in (0, 1, 2)
        for h, f in (("own-head", 0.9), ("lr-balanced", 0.86), ("polarity-lr", 0.865))
    ]  # fmt: skip
    args = Namespace(stage1="balanced", input_size=64, epochs=3)
    settings, body = pd_.tables(results, args)
    assert "| polarity-lr - lr-balanced | +0.005 | +0.005, +0.005, +0.005 |" in body
    assert "1.0 min per fit" in settings


def test_egan_script_runs_each_parameter_set_and_reports_the_spread_over_seeds():
    import numpy as np

    from benchmarks.egan import label, summarise, variants

    params = [{}, {"minority_weight": 1.0}]
    runs = variants(["egan-features", "devnet"], params)
    assert runs == [("egan-features", {}), ("egan-features", params[1]), ("devnet", {})]
    names = [label(m, p) for m, p in runs]
    assert names == ["egan-features", "egan-features minority_weight=1.0", "devnet"]
    rows = [
        dict(
            method=name,
            pair="x -> y",
            development=True,
            n_minority=2,
            seed=seed,
            seconds=1.0,
            f1_balanced=[0.2, 0.4, 0.6][seed] * (i + 1) / 3,
            ap_balanced=0.5,
            f1_prevalence=0.1,
            ap_prevalence=0.2,
            roc_auc=0.8,
        )
        for i, name in enumerate(names)
        for seed in range(3)
    ]
    text = summarise(rows, names)
    spread = text.split("standard deviation over seeds")[1].split("####")[0]
    for i, name in enumerate(names):
        expected = np.std(np.array([0.2, 0.4, 0.6]) * (i + 1) / 3, ddof=1)
        assert f"| {name} " in spread and f"{expected:.3f}".rstrip("0") in spread
    assert "roc_auc (mean" in text


def test_egan_script_row_files_have_portable_names_one_per_parameter_set():
    import re

    from benchmarks.egan import row_key

    params = {"minority_weight": 1.0, "contamination": "f1"}
    key = row_key("egan-images", (2, 4), 5, 3, params)
    assert key.startswith("egan-images-2-4-5-3-")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", key)  # valid on Windows and POSIX alike
    assert key == row_key("egan-images", (2, 4), 5, 3, dict(reversed(params.items())))
    assert key != row_key("egan-images", (2, 4), 5, 3, {**params, "minority_weight": 2.0})
    assert row_key("devnet", (2, 4), 5, 3, {}) == "devnet-2-4-5-3"


def test_egan_script_refits_rows_whose_cut_off_was_not_applied():
    from benchmarks.egan import stale

    moved = {"contamination": "f1", "minority_weight": 1.0}
    assert stale({"method": "egan-images"}, moved)  # written before offset was recorded
    assert stale({"method": "egan-images", "offset": -1.2}, moved)  # the 0.05 fallback
    assert not stale({"method": "egan-images", "offset": -1.2, "fallback": "prevalence"}, moved)
    assert not stale({"method": "egan-images"}, {})  # the paper's cut-off 0 is right


def test_egan_script_reference_rules_score_and_cut_as_documented():
    import numpy as np
    from sklearn.metrics import f1_score

    from benchmarks.egan import fit_score

    rng = np.random.RandomState(0)
    Z_train = np.r_[rng.normal(0, 1, (200, 3)), rng.normal(4, 0.1, (2, 3))]
    y_train = np.r_[np.zeros(200, int), np.ones(2, int)]
    Z_test = np.r_[rng.normal(0, 1, (50, 3)), rng.normal(4, 0.1, (50, 3))]
    y_test = np.r_[np.zeros(50, int), np.ones(50, int)]
    args = (None, Z_train, y_train, None, Z_test, 0, None, {})

    score, pred, extra = fit_score("all-minority", *args)
    assert pred.all() and np.ptp(score) == 0 and extra == {}
    assert f1_score(y_test, pred) == 2 / 3  # what a balanced test set gives away

    score, pred, _ = fit_score("knn-majority", *args)
    # far from the majority: the minority cluster scores higher than the majority
    assert score[y_test == 1].min() > np.median(score[y_test == 0])
    # the cut-off calls about the training prevalence (1%) of the majority minority
    assert pred[y_test == 0].mean() <= 0.1 and pred[y_test == 1].all()


@pytest.mark.parametrize("share_at_one, expected", [(0.6, 0.54), (0.4, 0.36)])
def test_rusboost_first_round_error_has_the_known_answer(share_at_one, expected):
    """30 minority samples at x=1; of 270 majority, a share at x=1 too, the rest
    at x=0. A stump from a balanced under-sample (which, but with a chance below
    1e-6, holds majority samples at x=0) puts x=1 on the minority side, so on
    the whole set it misclassifies exactly the majority at x=1."""
    import numpy as np

    from benchmarks.rusboost_failures import first_round_errors

    n_at_one = round(270 * share_at_one)
    X = np.r_[np.ones(30), np.ones(n_at_one), np.zeros(270 - n_at_one)].reshape(-1, 1)
    y = np.r_[np.ones(30, int), np.zeros(270, int)]
    errors = first_round_errors(X, y, n_samples=20)
    assert errors == pytest.approx(np.full(20, expected))


def test_rusboost_failures_runs_on_the_quick_profile(tmp_path):
    from benchmarks import rusboost_failures

    out = tmp_path / "r.md"
    rusboost_failures.main(["--data", "quick", "--samples", "6", "--out", str(out)])
    text = out.read_text()
    for name in ("ecoli1", "glass5", "yeast4"):
        line = next(row for row in text.splitlines() if row.startswith(f"| {name} |"))
        marks = line.split("|")[3].split()
        assert len(marks) == 4 and all(len(m) == 5 and set(m) <= {".", "x"} for m in marks)
    assert (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("profile", ["dev", "heldout"])
def test_the_docs_tuned_tables_are_those_of_the_committed_summaries(profile):
    """Every row of docs/benchmarks.md's "Every method tuned" tables is read
    from the summary of the run it quotes (bold marks aside)."""
    from benchmarks import tuned_tables

    root = pathlib.Path(__file__).parents[1]
    summary = root / f"benchmarks/results/command-{profile}-tune-all-no-rusboost/summary.md"
    text = tuned_tables.tables(tuned_tables.read(summary.read_text()))
    docs = (root / "docs/benchmarks.md").read_text().replace("**", "")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) >= 30
    missing = [row for row in rows if row not in docs]
    assert not missing, missing


def test_cost_table_has_a_row_per_estimator_with_its_ratios(tmp_path):
    """benchmarks.cost end to end on one estimator, one repeat: the
    reference, the baseline of the estimator's table and the estimator, each
    ratio computed from the times of the same run."""
    import pandas as pd

    from benchmarks import cost

    out = tmp_path / "cost.md"
    cost.main(["--repeats", "1", "--only", "paper", "--out", str(out)])
    rows = pd.read_csv(tmp_path / "cost.csv")
    assert list(rows["estimator"]) == [
        "reference workload (1,000 MLP steps)",
        "tuned threshold (baseline)",
        "EGANClassifier(paper's settings)",
    ]
    assert list(rows["table"]) == ["2000x20"] * 3
    assert (rows["fit_seconds"] > 0).all()
    reference, baseline, egan = (rows.iloc[k] for k in range(3))
    assert egan["x_reference"] == pytest.approx(egan["fit_seconds"] / reference["fit_seconds"])
    assert egan["x_baseline"] == pytest.approx(egan["fit_seconds"] / baseline["fit_seconds"])
    assert egan["grid_seconds"] > 0
    assert "reference workload" in out.read_text()


def test_cost_grids_name_real_parameters_and_profile_reports_entries(capsys):
    from benchmarks import cost

    for name, (_, make, grid) in [*cost.estimators("cpu").items(), *cost.baselines("cpu").items()]:
        if grid is None:  # too slow for a grid on a CPU: named as such
            assert name in cost.NO_GRID
            continue
        make().set_params(**{key: values[0] for key, values in grid.items()})
    assert set(cost.baselines("cpu")) == {table for table, _, _ in cost.estimators("cpu").values()}
    cost.main(["--profile", "--only", "paper", "--top", "5"])
    text = capsys.readouterr().out
    assert "### EGANClassifier(paper's settings)" in text and "tottime" in text


def test_cost_only_takes_exact_names_and_substrings():
    from benchmarks import cost

    specs = dict.fromkeys(["polarity+threshold (sampler)", "PolarityGANClassifier()", "eGAN"])
    assert list(cost.select(specs, None)) == list(specs)
    assert list(cost.select(specs, "polarity")) == list(specs)[:2]
    # an exact name picks that one alone; parts add up
    assert list(cost.select(specs, "polaritygANclassifier()")) == ["PolarityGANClassifier()"]
    assert list(cost.select(specs, "egan, +threshold")) == ["eGAN", "polarity+threshold (sampler)"]


def test_a_row_store_packs_its_rows_into_one_file_and_reads_both(tmp_path):
    from benchmarks._harness import RowStore

    store = RowStore(str(tmp_path / "rows"))
    assert store.get("a") is None
    store.put("a", {"f1": 0.5})
    store.put("b", {"f1": 0.25})
    assert store.get("a") == {"f1": 0.5}  # a loose file, before packing
    store.pack()
    assert sorted(p.name for p in (tmp_path / "rows").iterdir()) == ["rows.jsonl.gz"]
    packed = (tmp_path / "rows" / "rows.jsonl.gz").read_bytes()
    again = RowStore(str(tmp_path / "rows"))
    assert again.get("a") == {"f1": 0.5} and again.get("b") == {"f1": 0.25}
    # a later run adds to the packed rows; a newer row of a key replaces it
    again.put("c", {"f1": 1.0})
    again.put("a", {"f1": 0.75})
    again.pack()
    third = RowStore(str(tmp_path / "rows"))
    assert [third.get(k) for k in "abc"] == [{"f1": 0.75}, {"f1": 0.25}, {"f1": 1.0}]
    # the same rows give the same bytes
    RowStore(str(tmp_path / "same")).put("a", {"f1": 0.5})
    RowStore(str(tmp_path / "same")).put("b", {"f1": 0.25})
    RowStore(str(tmp_path / "same")).pack()
    assert (tmp_path / "same" / "rows.jsonl.gz").read_bytes() == packed


def test_two_processes_packing_one_row_store_keep_every_row(tmp_path):
    from benchmarks._harness import RowStore

    folder = str(tmp_path / "rows")
    running, report = RowStore(folder), RowStore(folder)
    running.put("a", {"f1": 0.5})
    assert running.get("z") is None  # the running one has read the packed file
    # a report of the unfinished run packs the loose rows meanwhile
    assert report.get("a") == {"f1": 0.5}
    report.pack()
    running.put("b", {"f1": 0.25})
    running.pack()
    assert [RowStore(folder).get(k) for k in "ab"] == [{"f1": 0.5}, {"f1": 0.25}]


def test_the_fit_engine_resumes_skips_refits_stale_rows_and_packs_when_interrupted(tmp_path):
    from benchmarks._harness import RowStore, run_fits

    fitted = []

    def task(key, value):
        def fit():
            fitted.append(key)
            return {"key": key, "value": value}

        return key, fit

    store = RowStore(str(tmp_path / "rows"))
    rows = run_fits([task("a", 1), task("b", 2)], store, say=lambda r: f"fitted {r['key']}")
    assert [r["value"] for r in rows] == [1, 2] and fitted == ["a", "b"]
    assert sorted(p.name for p in (tmp_path / "rows").iterdir()) == ["rows.jsonl.gz"]
    # a re-run reads what is stored; cached_only skips the rest
    fitted.clear()
    again = RowStore(str(tmp_path / "rows"))
    rows = run_fits([task("a", 9), task("c", 3)], again, cached_only=True)
    assert rows == [{"key": "a", "value": 1}] and fitted == []
    # a stale row is fitted again
    rows = run_fits([task("a", 9)], again, fresh=lambda r: r["value"] != 1)
    assert rows == [{"key": "a", "value": 9}] and fitted == ["a"]

    # an interrupted run keeps what it finished, packed
    def broken():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_fits([task("d", 4), ("e", broken)], RowStore(str(tmp_path / "cut")))
    assert RowStore(str(tmp_path / "cut")).get("d") == {"key": "d", "value": 4}
    assert sorted(p.name for p in (tmp_path / "cut").iterdir()) == ["rows.jsonl.gz"]


def test_egan_script_ranks_kept_parts_with_the_discriminator_bounded(monkeypatch):
    import numpy as np

    from benchmarks import egan

    # the minority (y = 1) lies close to the known minority (closeness low),
    # but one majority row has a far-out discriminator part
    y = np.array([1, 1, 0, 0, 0, 0])
    discriminator = [-1.0, -1.0, -30.0, 0.0, 0.5, 1.0]
    closeness = [-3.0, -2.5, 0.0, 0.5, 0.0, 1.0]
    monkeypatch.setattr(egan, "test_labels", lambda pair: y)
    row = dict(
        method="egan-features",
        pair="x -> y",
        development=True,
        n_minority=2,
        seed=0,
        parts=[discriminator, closeness],
    )
    import pandas as pd

    text = egan.bound_table(pd.DataFrame([row]))
    at_weight = text.split("at each weight")[1].split("####")[0]
    lines = {
        line.split("'")[-2]: [cell.strip() for cell in line.split("|")[2:-1]]
        for line in at_weight.splitlines()
        if line.startswith("| (")
    }
    assert list(lines) == ["none", "6", "4", "3", "2"]
    # at w = 0.5: unbounded, the far-out majority row ranks first; bounded at
    # 2, both minority rows rank first (average precision 1)
    unbounded, bounded = (
        egan.blends(discriminator, closeness, (0.5,)),
        egan.blends(discriminator, closeness, (0.5,), bound=2.0),
    )
    assert np.argmax(unbounded["0.5"]) == 2 and set(np.argsort(bounded["0.5"])[-2:]) == {0, 1}
    half = egan.BLEND_WEIGHTS.index(0.5)
    assert float(lines["2"][half]) == 1.0 and float(lines["none"][half]) < 0.01
    assert "each prior p" in text
    # rows without kept parts give no table
    assert egan.bound_table(pd.DataFrame([dict(row, parts=None)])) == ""


def test_compare_reads_benchmark_folders_with_a_method_per_side(tmp_path, capsys):
    import pandas as pd

    from benchmarks import compare

    rows = []
    for dataset, shift in (("a", 0.02), ("b", 0.04), ("c", 0.06)):
        for split in range(2):
            for clf in ("lr", "hgb", "own"):
                base = 0.5 + 0.1 * split
                for method, f1 in (("polarity", base), ("polarity:gp_every=4", base + shift)):
                    rows.append(
                        dict(
                            dataset=dataset,
                            split=split,
                            method=method,
                            classifier=clf,
                            error=None,
                            f1=f1,
                            average_precision=0.7,
                        )
                    )
    folder = tmp_path / "run"
    folder.mkdir()
    pd.DataFrame(rows).to_csv(folder / "results.csv", index=False)
    out = tmp_path / "compare.md"
    compare.main(
        [
            "--new",
            str(folder),
            "--old",
            str(folder),
            "--new-method",
            "polarity:gp_every=4",
            "--out",
            str(out),
        ]
    )
    text = out.read_text()
    lines = {
        line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")
    }
    # the classifiers the runs hold (no rf here; "own": a method that is its
    # own classifier), each with its own rows
    assert set(lines) >= {"lr f1", "hgb f1", "lr average_precision", "hgb average_precision"}
    assert {"own f1", "own average_precision"} <= set(lines)
    assert not any(key.startswith("rf") for key in lines)
    assert "+0.0400" in lines["hgb f1"]  # mean of the paired differences
    assert "+0.0000" in lines["lr average_precision"]


def test_performance_table_sets_each_default_against_the_current_one():
    from benchmarks import performance

    seconds = {"SMOTE": 0.1, "PolarityGAN": 1.0, "PolarityGAN previous defaults": 1.5}
    seconds["PolarityGAN old defaults"] = 6.0
    rows = [
        dict(method=m, n_samples=1000, seconds=s, peak_mb=700.0, rss_before_mb=650.0)
        for m, s in seconds.items()
    ]
    line = performance.table(rows, [1000]).splitlines()[-1]
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells[:8] == ["1,000", "0.10", "1.00", "1.50", "6.00", "10x", "1.50x", "6.00x"]
    # a run without the earlier defaults leaves their cells empty, not wrong
    two = [r for r in rows if r["method"] in ("SMOTE", "PolarityGAN")]
    line = performance.table(two, [1000], methods=("SMOTE", "PolarityGAN")).splitlines()[-1]
    assert "nan" in line and "10x" in line


def test_egan_compare_pairs_fits_and_matches_settings_exactly(tmp_path):
    import json

    from benchmarks import egan_compare
    from benchmarks._harness import RowStore

    def row(params, seed, ap, seconds=1.0, pair="A -> B"):
        return dict(
            method="egan-images", egan_params=json.dumps(params), pair=pair, n_minority=2,
            seed=seed, ap_prevalence=ap, f1_prevalence=ap / 2, roc_auc=0.9, seconds=seconds,
        )  # fmt: skip

    old, new = RowStore(str(tmp_path / "old")), RowStore(str(tmp_path / "new"))
    for seed, (a, b) in enumerate([(0.1, 0.3), (0.2, 0.3), (0.4, 0.2)]):
        old.put(f"o{seed}", row({}, seed, a, seconds=10.0))
        new.put(f"n{seed}", row({"x": 1}, seed, b))
    old.pack()
    new.put("other", row({"x": 2}, 0, 0.9))  # other settings: never paired
    new.put("lonely", row({"x": 1}, 7, 0.9))  # no partner: left out
    out = tmp_path / "c.md"
    egan_compare.main(
        ["--old-rows", str(tmp_path / "old"), "--old-params", "{}",
         "--new-rows", str(tmp_path / "new"), "--new-params", '{"x": 1}', "--out", str(out)]
    )  # fmt: skip
    import pandas as pd

    table = pd.read_csv(tmp_path / "c.csv")
    ap = table[table.metric == "ap_prevalence"].iloc[0]
    assert ap.fits == 3 and ap.old == 0.233 and ap.new == 0.267 and ap["new - old"] == 0.033
    assert ap["up / down"] == "2 / 1"
    seconds = table[table.metric == "median seconds"].iloc[0]
    assert seconds.old == 10.0 and seconds.new == 1.0
    assert "1 fits on one side only" in out.read_text()
    with pytest.raises(SystemExit, match="No fit"):
        egan_compare.main(
            ["--old-rows", str(tmp_path / "old"), "--old-params", '{"y": 0}',
             "--new-params", "{}"]
        )  # fmt: skip
