"""The built site's link check (docs/check_links.py) finds what it should."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "check_links.py"


@pytest.fixture(scope="module")
def check_links():
    spec = importlib.util.spec_from_file_location("check_links", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site(tmp_path, pages):
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>")
    return tmp_path


def test_resolving_links_pass(check_links, tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="guide.html#usage">x</a><a href="#top">y</a>'
            '<span id="top"></span><a href="https://example.org/a">z</a>'
            '<img src="_images/a.png"><a href="sub/">s</a>',
            "guide.html": '<h2 id="usage">Usage</h2><a href="index.html">back</a>',
            "sub/index.html": '<a href="../guide.html#usage">up</a>',
            "_images/a.png": "",
        },
    )
    broken, n_external = check_links.broken_links(site)
    assert broken == []
    assert n_external == 1
    assert check_links.main([str(site)]) == 0


def test_missing_files_and_anchors_are_reported(check_links, tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="guide.html#renamed">x</a><a href="gone.html">y</a>'
            '<img src="_images/missing.png"><a href="#nowhere">z</a>',
            "guide.html": '<h2 id="usage">Usage</h2>',
            # theme fragments under _static are not pages and are not checked
            "_static/macros.html": "<a href=\"{{ pathto('x') }}\">t</a>",
        },
    )
    broken, _ = check_links.broken_links(site)
    found = {(str(page), link, reason) for page, link, reason in broken}
    assert found == {
        ("index.html", "guide.html#renamed", "no such anchor"),
        ("index.html", "gone.html", "no such file"),
        ("index.html", "_images/missing.png", "no such file"),
        ("index.html", "#nowhere", "no such anchor"),
    }
    assert check_links.main([str(site)]) == 1


def test_no_site_is_an_error(check_links, tmp_path):
    assert check_links.main([str(tmp_path)]) == 2
