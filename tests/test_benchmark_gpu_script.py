"""benchmarks/gpu.py runs end to end with --device cpu (the GPU run is the same code)."""

import pytest

gpu = pytest.importorskip("benchmarks.gpu")


def test_cpu_run_writes_the_table(tmp_path):
    out = tmp_path / "gpu.md"
    assert gpu.main(["--device", "cpu", "--scale", "1", "--out", str(out)]) == 0
    table = out.read_text()
    for name in ("PolarityGANSampler", "EGANClassifier(images)", "ImageEmbedder"):
        assert name in table
    assert "| NO |" not in table and table.count("| yes |") == 5
