"""Every estimator on a GPU against the CPU, and GPU-fitted models on a CPU-only process.

    python -m benchmarks.gpu                 # cuda against cpu (needs a GPU)
    python -m benchmarks.gpu --device cpu    # the same script, CPU only (a smoke run)

For each estimator: one fit on the device and one on the CPU on the same data
and seed (seconds), then the device-fitted model is pickled, loaded in a
subprocess that hides every GPU (CUDA_VISIBLE_DEVICES=""), and must predict
there exactly what it predicts on the device's CPU copy. Writes a Markdown
table (--out, default benchmarks/results/gpu.md) naming the device.
"""

import os
import pickle
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

from skimbgan import EGANClassifier, ImageEmbedder, PolarityGANClassifier, PolarityGANSampler

from ._harness import machine
from ._harness import parser as make_parser
from ._synthetic import images, tables


def estimators(device, scale):
    """(name, estimator, X, y, method) for each estimator; ``scale`` multiplies
    the data and the training length."""
    X, y = tables()
    X_img, y_img = images(n_per_class=(60 * scale, 20 * scale, 10 * scale), size=32)
    common = dict(device=device, random_state=0)
    return [
        (
            "PolarityGANSampler",
            PolarityGANSampler(n_steps=200 * scale, **common),
            X,
            y,
            "fit_resample",
        ),
        (
            "EGANClassifier(features)",
            EGANClassifier(n_steps=200 * scale, **common),
            X,
            y,
            "predict_proba",
        ),
        (
            "EGANClassifier(images)",
            EGANClassifier(input_type="images", weights=None, n_steps=20 * scale, **common),
            X_img,
            y_img > 0,
            "predict_proba",
        ),
        (
            "PolarityGANClassifier",
            PolarityGANClassifier(weights=None, n_epochs=scale, input_size=64, **common),
            X_img,
            y_img,
            "predict_proba",
        ),
        (
            "ImageEmbedder",
            ImageEmbedder(weights=None, input_size=64, **common),
            X_img,
            None,
            "transform",
        ),
    ]


def fit(estimator, X, y, method):
    started = time.perf_counter()
    if method == "fit_resample":
        estimator.fit_resample(X, y)
    else:
        estimator.fit(X, y)
    if estimator.device_.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - started


def output(estimator, X, method):
    if method == "fit_resample":
        return estimator.generate({estimator.classes_[1]: 5}, random_state=0)[0]
    return getattr(estimator, method)(X)


LOAD_AND_PREDICT = """
import pickle, sys
import numpy as np
import torch
assert not torch.cuda.is_available()
estimator, X, method = pickle.load(open(sys.argv[1], "rb"))
if method == "fit_resample":
    out = estimator.generate({estimator.classes_[1]: 5}, random_state=0)[0]
else:
    out = getattr(estimator, method)(X)
np.save(sys.argv[2], np.asarray(out))
print(estimator.device_)
"""


def on_cpu_only(estimator, X, method):
    """The estimator's output in a process that sees no GPU, and its device_ there."""
    with tempfile.TemporaryDirectory() as folder:
        model, result = os.path.join(folder, "model.pkl"), os.path.join(folder, "out.npy")
        with open(model, "wb") as f:
            pickle.dump((estimator, X, method), f)
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
        done = subprocess.run(
            [sys.executable, "-c", LOAD_AND_PREDICT, model, result],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return np.load(result), done.stdout.strip()


def main(argv=None):
    parser = make_parser(__doc__, out="benchmarks/results/gpu.md")
    parser.add_argument("--device", default="cuda", help="the device to compare with the CPU")
    parser.add_argument("--scale", type=int, default=3, help="data and training length")
    args = parser.parse_args(argv)
    device = torch.device(args.device)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    rows = []
    for (label, est, X, y, method), (_, cpu_est, *_) in zip(
        estimators(args.device, args.scale), estimators("cpu", args.scale), strict=True
    ):
        seconds = fit(est, X, y, method)
        cpu_seconds = fit(cpu_est, X, y, method)
        expected = np.asarray(output(est, X, method))
        loaded, loaded_device = on_cpu_only(est, X, method)
        same = np.allclose(loaded, expected, rtol=1e-4, atol=1e-5)
        rows.append((label, seconds, cpu_seconds, loaded_device, same))
        print(
            f"{label}: {seconds:.2f} s on {args.device}, {cpu_seconds:.2f} s on cpu, "
            f"loads on {loaded_device}, same output: {same}",
            flush=True,
        )
    lines = [
        f"Device: {name} (`{args.device}`). Machine: {machine(args.device)}. "
        f"Command: `python -m benchmarks.gpu --device {args.device} --scale {args.scale}`.",
        "",
        "| estimator | fit on device (s) | fit on CPU (s) | CPU / device | "
        "loaded where no GPU is seen | same output there |",
        "|:--|--:|--:|--:|:--|:--|",
    ]
    for label, seconds, cpu_seconds, loaded_device, same in rows:
        lines.append(
            f"| {label} | {seconds:.2f} | {cpu_seconds:.2f} | {cpu_seconds / seconds:.2f} | "
            f"{loaded_device} | {'yes' if same else 'NO'} |"
        )
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
