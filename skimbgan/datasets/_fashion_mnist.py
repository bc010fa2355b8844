"""Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; MIT licence, Zalando) from IDX files."""

import gzip
import os
import shutil
import urllib.request
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

TARGET_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
SUBSETS = {"train": ("train", 60_000), "test": ("t10k", 10_000)}
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
ENV_VAR = "SKIMBGAN_DATA"
OFFICIAL_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
_DTYPES = {0x08: np.uint8}

DESCR = """Fashion-MNIST
=============

70,000 grayscale 28x28 images of clothing in 10 classes (60,000 for training,
10,000 for testing), by Zalando Research, released under the MIT licence.

H. Xiao, K. Rasul and R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017.
"""


def read_idx(path):
    """Read an IDX file (``.gz`` or uncompressed) into a numpy array.

    The format: two zero bytes, a type byte (0x08 = unsigned byte, the only
    type Fashion-MNIST uses), a byte with the number of dimensions, one
    big-endian uint32 per dimension, then the data.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    ndarray of uint8
        The data, in the shape the file's header gives.

    Raises
    ------
    ValueError
        If the file is not a well-formed IDX file of unsigned bytes, is
        truncated, or has trailing data.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> from skimbgan.datasets import read_idx
    >>> header = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny-idx2-ubyte.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(header + bytes(range(6)))
    >>> read_idx(path).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:  # gzip raises these on corrupt files
        raise ValueError(f"{path} could not be read as an IDX file: {exc}") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path} is not an IDX file (bad magic number).")
    if raw[2] not in _DTYPES:
        raise ValueError(f"{path}: unsupported IDX data type 0x{raw[2]:02x}.")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise ValueError(f"{path}: truncated IDX header.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64))
    if len(raw) - header != expected:
        raise ValueError(
            f"{path}: expected {expected} bytes of data for shape {shape}, found "
            f"{len(raw) - header} (truncated or corrupt file)."
        )
    return np.frombuffer(raw, dtype=_DTYPES[raw[2]], offset=header).reshape(shape).copy()


def _candidate_dirs(data_home):
    if data_home is not None:
        return [Path(data_home).expanduser()]
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]).expanduser() / "fashion-mnist")
    dirs.append(Path("~/skimbgan_data/fashion-mnist").expanduser())
    dirs.append(DEBIAN_DIR)
    return dirs


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    return None


def _download(directory, stems):
    directory.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        target = directory / (stem + ".gz")
        if target.exists():
            continue
        tmp = target.with_suffix(".part")
        with urllib.request.urlopen(OFFICIAL_URL + stem + ".gz") as response, open(tmp, "wb") as f:
            shutil.copyfileobj(response, f)
        tmp.rename(target)


def load_fashion_mnist(subset="train", *, data_home=None, return_X_y=False, download=False):
    """Load Fashion-MNIST from its original IDX files.

    The files are looked for in ``data_home`` when given; otherwise in
    ``$SKIMBGAN_DATA/fashion-mnist``, ``~/skimbgan_data/fashion-mnist`` and the
    folder of Debian's ``dataset-fashion-mnist`` package
    (``/usr/share/datasets/fashion-mnist``), in that order. Both ``.gz`` and
    uncompressed files are read.

    Parameters
    ----------
    subset : {"train", "test"}, default="train"
        60,000 training or 10,000 test images.
    data_home : str or Path, optional
        Folder holding the IDX files (and where ``download`` puts them).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    download : bool, default=False
        When the files are nowhere to be found, download them from the official
        source into ``data_home`` (or ``~/skimbgan_data/fashion-mnist``).
        Needs internet access.

    Returns
    -------
    data : Bunch or tuple
        A Bunch with ``images`` (n, 28, 28) uint8, ``data`` (n, 784) uint8,
        ``target`` (n,) int64, ``target_names`` and ``DESCR``; or
        ``(data, target)`` with ``return_X_y=True``.

    Raises
    ------
    FileNotFoundError
        If the files are not found (and ``download`` is False): the message says
        how to get them.
    ValueError
        If a file is malformed, or images and labels do not match.

    Examples
    --------
    >>> from skimbgan.datasets import load_fashion_mnist
    >>> test = load_fashion_mnist("test")  # doctest: +SKIP
    >>> test.images.shape, test.target_names[6]  # doctest: +SKIP
    ((10000, 28, 28), 'Shirt')
    """
    if subset not in SUBSETS:
        raise ValueError(f"subset must be 'train' or 'test', got {subset!r}.")
    prefix, n_expected = SUBSETS[subset]
    stems = (f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte")
    found = None
    for directory in _candidate_dirs(data_home):
        paths = [_find(directory, stem) for stem in stems]
        if all(paths):
            found = paths
            break
    if found is None:
        if not download:
            searched = ", ".join(str(d) for d in _candidate_dirs(data_home))
            raise FileNotFoundError(
                f"Fashion-MNIST {subset} files not found (looked in: {searched}). "
                "On Debian or Ubuntu: `apt-get install dataset-fashion-mnist`; "
                "with internet access: load_fashion_mnist(..., download=True); or "
                f"put {stems[0]}.gz and {stems[1]}.gz in a folder given as data_home."
            )
        directory = (
            Path(data_home).expanduser()
            if data_home is not None
            else Path("~/skimbgan_data/fashion-mnist").expanduser()
        )
        _download(directory, stems)
        found = [_find(directory, stem) for stem in stems]
    images, labels = read_idx(found[0]), read_idx(found[1])
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"Images {images.shape} and labels {labels.shape} do not form a data set.")
    if labels.size and labels.max() >= len(TARGET_NAMES):
        raise ValueError(f"Label {labels.max()} is not a Fashion-MNIST class.")
    target = labels.astype(np.int64)
    data = images.reshape(images.shape[0], -1)
    if return_X_y:
        return data, target
    return Bunch(
        images=images,
        data=data,
        target=target,
        target_names=list(TARGET_NAMES),
        DESCR=DESCR + f"\nThis is the {subset} subset ({n_expected} images when complete).\n",
    )
