"""Check the built site's internal links: every page, image, script and anchor
that a page points to exists.

Sphinx's warnings-as-errors build catches broken cross-references in the
sources; this catches what it does not see, such as raw Markdown links to
``page.md#anchor`` whose anchor was renamed, and files the theme or the
gallery refer to. External links are only counted (the build runs offline).

Usage: ``python docs/check_links.py [docs/_build/html]``; exit status 1 when
anything is broken.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# attributes that point at another file or anchor
LINK_ATTRIBUTES = {("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            elif (tag, name) in LINK_ATTRIBUTES:
                self.links.append(value)


def _parse(path, pages):
    if path not in pages:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        pages[path] = page
    return pages[path]


def _site_pages(root):
    # _static holds the theme's own template fragments, not pages
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)


def broken_links(root):
    """Return ``(page, link, reason)`` for every internal link that does not resolve,
    and the number of external links seen."""
    root = Path(root).resolve()
    pages = {}
    broken = []
    n_external = 0
    for path in _site_pages(root):
        for link in _parse(path, pages).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                n_external += parts.scheme in ("http", "https") or link.startswith("//")
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((path.relative_to(root), link, "no such file"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in _parse(target, pages).ids:
                broken.append((path.relative_to(root), link, "no such anchor"))
    return broken, n_external


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else Path(__file__).parent / "_build" / "html")
    if not (root / "index.html").exists():
        print(f"no built site at {root}", file=sys.stderr)
        return 2
    broken, n_external = broken_links(root)
    for page, link, reason in broken:
        print(f"{page}: {link} ({reason})")
    n_pages = len(_site_pages(root))
    print(
        f"checked {n_pages} pages: {len(broken)} broken internal links; "
        f"{n_external} external links not checked (offline build)"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
