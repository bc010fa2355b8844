#!/usr/bin/env bash
# One entry point for the project's set-up commands (see README.md).
#   bash dev.sh test        install skimbgan with its test dependencies, run the tests
#   bash dev.sh benchmark   install with the benchmark dependencies, run `skimbgan benchmark`
#                           (extra arguments go to it; results in ./skimbgan-benchmark)
#   bash dev.sh docs        install the docs dependencies, build the site with every gallery
#                           example executed, warnings as errors, then check its internal
#                           links (docs/_build/html/index.html)
#   bash dev.sh lint        ruff's lint and format checks (the pinned ruff)
#   bash dev.sh package     build the sdist and, from it, the wheel (dist/); install the
#                           wheel alone into a fresh folder and smoke-test it from there
#   bash dev.sh test-min    the tests against the lowest versions pyproject.toml allows,
#                           in a fresh virtual environment (.venv-min)
# All are safe to re-run: pip skips what is already installed. Run them inside a
# virtual environment of yours (python3 -m venv .venv && . .venv/bin/activate).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
# Where torch is not installed yet, torch/torchvision come pinned (see
# .ci/constraints.txt for why). A torch the user installed (a CPU build, say)
# is kept: pip only checks that it satisfies pyproject.toml's range.
pip_install() {
    local constraints=()
    if ! "$PYTHON" -c "import torch" >/dev/null 2>&1; then
        constraints=(-c .ci/constraints.txt)
    fi
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "${constraints[@]}" "$@"
}

# Fashion-MNIST for the image tests and examples (Debian's package; as root).
install_fashion_mnist() {
    if [ ! -d /usr/share/datasets/fashion-mnist ] && command -v apt-get >/dev/null \
        && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null
    fi
}

case "${1:-}" in
test)
    shift
    install_fashion_mnist
    pip_install -e ".[tests]"
    set +e
    "$PYTHON" -m pytest "$@"
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then
        echo "pytest collected no tests: treating that as a failure." >&2
        exit 1
    fi
    exit "$status"
    ;;
benchmark)
    shift
    pip_install -e ".[benchmark]"
    # one run per core at a time (the command's default): a few minutes on 2 CPU cores
    "$PYTHON" -m skimbgan benchmark "$@"
    ;;
docs)
    shift
    install_fashion_mnist
    pip_install -e ".[docs]"
    # a clean build, so that every page and example is checked
    rm -rf docs/_build docs/generated docs/auto_examples
    "$PYTHON" -m sphinx -b html -W --keep-going docs docs/_build/html "$@"
    # links that the build does not check (Markdown anchors, gallery files)
    "$PYTHON" docs/check_links.py docs/_build/html
    echo "built: docs/_build/html/index.html (open it in a browser)"
    ;;
lint)
    shift
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "ruff==0.17.6"
    "$PYTHON" -m ruff check . "$@"
    "$PYTHON" -m ruff format --check . "$@"
    ;;
package)
    shift
    "$PYTHON" -m pip install --quiet --disable-pip-version-check build
    rm -rf dist
    "$PYTHON" -m build --outdir dist . >/dev/null   # the sdist, then the wheel built from it
    ls dist
    target=$(mktemp -d)
    # the wheel alone (its dependencies are this environment's), imported from outside the tree
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --target "$target" dist/*.whl
    (cd "$target" && PYTHONPATH="$target" "$PYTHON" "$OLDPWD/.ci/smoke.py" "$target")
    rm -rf "$target"
    ;;
test-min)
    shift
    # the floors of pyproject.toml, installed exactly, in a virtual environment of their own
    "$PYTHON" -m venv .venv-min
    .venv-min/bin/python -m pip install --quiet --disable-pip-version-check \
        -c .ci/minimum.txt -e ".[tests]"
    .venv-min/bin/python -m pytest -p no:cacheprovider "$@"
    ;;
*)
    echo "usage: bash dev.sh {test|benchmark|docs|lint|package|test-min} [extra arguments]" >&2
    exit 2
    ;;
esac
