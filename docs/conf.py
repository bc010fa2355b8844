"""Sphinx configuration of the skimbgan documentation site.

Build: ``bash dev.sh docs`` (installs the ``docs`` extra, then runs
``sphinx-build -W`` with the example gallery executed). The build works
offline: cross-links to scikit-learn, imbalanced-learn, PyTorch, numpy and
Python are made only for the inventories that can be fetched at build time.
"""

import os
import sys
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import skimbgan  # noqa: E402

project = "skimbgan"
author = "the skimbgan developers"
copyright = "skimbgan developers"
release = skimbgan.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.md5"]
templates_path = ["_templates"]

# Markdown pages: headings get anchors so links such as benchmarks.md#image-embeddings work
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "dollarmath"]

# API reference from the numpydoc docstrings
autosummary_generate = True
autodoc_default_options = {"members": False, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# --- cross-links to other projects, only where their inventories are reachable ---
INVENTORIES = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "sklearn": "https://scikit-learn.org/stable",
    "imblearn": "https://imbalanced-learn.org/stable",
    "torch": "https://docs.pytorch.org/docs/stable",
}


def _reachable(url, timeout=3.0):
    if os.environ.get("SKIMBGAN_DOCS_OFFLINE"):
        return False
    try:
        with urllib.request.urlopen(url + "/objects.inv", timeout=timeout) as response:
            return response.status == 200
    except Exception:
        return False


intersphinx_mapping = {name: (url, None) for name, url in INVENTORIES.items() if _reachable(url)}
if len(intersphinx_mapping) < len(INVENTORIES):
    missing = sorted(set(INVENTORIES) - set(intersphinx_mapping))
    print(f"intersphinx: offline for {', '.join(missing)}; links to them stay plain text")

# --- example gallery: every script in examples/ runs when the site builds ---
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py$",
    "plot_gallery": os.environ.get("SKIMBGAN_DOCS_GALLERY", "True"),
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "within_subsection_order": "FileNameSortKey",
}
warnings.filterwarnings("ignore", message="Matplotlib is currently using agg")

html_theme = "pydata_sphinx_theme"
html_title = f"skimbgan {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "header_links_before_dropdown": 6,
}
# pages that are a section of their own have no siblings to list: no left sidebar
html_sidebars = {name: [] for name in ("index", "getting_started", "benchmarks", "changelog")}
html_static_path = ["_static"]
html_css_files = ["skimbgan.css"]
