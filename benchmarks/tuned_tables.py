"""The tables of docs/benchmarks.md's "Every method tuned" sections, from a summary.

Reads the ``summary.md`` that ``skimbgan benchmark --tune`` wrote and prints,
in Markdown:

1. each method's mean minority F1, default -> tuned, per classifier (methods
   that use the classifiers);
2. the same for the methods with a classifier of their own (ensembles, EGAN),
   whose F1 is the same under every classifier;
3. each tuned method against the tuned threshold of the same classifier: mean
   difference [95% bootstrap interval], P(better) / P(equivalent) / P(worse).

Then one line per classifier: the leading tuned methods and the Friedman test.
Nothing is recomputed: every number is read from the summary, so the docs can
be checked against the run that produced them.

    python -m benchmarks.tuned_tables \\
        --summary benchmarks/results/command-dev-tune-all-no-rusboost/summary.md
"""

import re

from ._harness import parser

TUNED = " [tuned]"
REFERENCE = "threshold [tuned]"


def sections(text):
    """The summary's text per classifier: {name: section}."""
    parts = re.split(r"^## Classifier: (\S+)\n", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def table_after(section, start):
    """(header, rows) of the first Markdown table after the line starting with ``start``."""
    at = section.find(start)
    if at < 0:
        raise ValueError(f"no table after {start!r} in the summary")
    rows = []
    for line in section[at:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[0], rows[2:]


def read(text):
    """Mean F1 per method, the comparisons against the tuned threshold and the
    Friedman line, per classifier."""
    found = {}
    for clf, section in sections(text).items():
        head, body = table_after(section, "Mean over the")
        f1 = {row[0]: float(row[head.index("f1")]) for row in body}
        _, against = table_after(section, f"Against `{REFERENCE}`")
        versus = {row[0]: [float(x) for x in row[1:7]] for row in against}
        friedman = re.search(r"^Friedman.*$", section, flags=re.M)
        found[clf] = dict(f1=f1, versus=versus, friedman=friedman.group(0) if friedman else "")
    return found


def own_classifier(name):
    from skimbgan.benchmark import parse_method

    return parse_method(name).own_classifier


def tables(found):
    """The three Markdown tables and the per-classifier lines."""
    classifiers = list(found)
    first = found[classifiers[0]]["f1"]
    bases = [name for name in first if not name.endswith(TUNED) and name + TUNED in first]
    order = {name: i for i, name in enumerate(METHOD_ORDER)}
    bases.sort(key=lambda name: (order.get(name, len(order)), name))
    plain = [name for name in bases if not own_classifier(name)]
    own = [name for name in bases if own_classifier(name)]
    out = ["| method | " + " | ".join(classifiers) + " |"]
    out.append("|:--|" + "--:|" * len(classifiers))
    for name in plain:
        cells = [
            f"{found[c]['f1'][name]:.3f} → {found[c]['f1'][name + TUNED]:.3f}" for c in classifiers
        ]
        out.append(f"| `{name}` | " + " | ".join(cells) + " |")
    if own:
        out += ["", "| own classifier | default → tuned |", "|:--|--:|"]
        for name in own:
            out.append(f"| `{name}` | {first[name]:.3f} → {first[name + TUNED]:.3f} |")
    out += ["", f"| tuned, against `{REFERENCE}` | " + " | ".join(classifiers) + " |"]
    out.append("|:--|" + ":--|" * len(classifiers))
    for name in bases:
        if name + TUNED == REFERENCE:
            continue
        cells = []
        for c in classifiers:
            d, low, high, better, equal, worse = found[c]["versus"][name + TUNED]
            cells.append(
                f"{d:+.3f} [{low:+.3f}, {high:+.3f}]; {better:.2f} / {equal:.2f} / {worse:.2f}"
            )
        out.append(f"| `{name}` | " + " | ".join(cells) + " |")
    out.append("")
    for c in classifiers:
        f1 = found[c]["f1"]
        tuned = sorted((k for k in f1 if k.endswith(TUNED)), key=lambda k: -f1[k])
        leaders = ", ".join(f"{k} {f1[k]:.3f}" for k in tuned[:3])
        out.append(f"- {c}: leading tuned methods {leaders}; {found[c]['friedman']}")
    return "\n".join(out)


#: The docs' order of the methods; others follow by name.
METHOD_ORDER = [
    "none",
    "class_weight",
    "threshold",
    "random",
    "smote",
    "borderline",
    "adasyn",
    "polarity",
    "smote+threshold",
    "borderline+threshold",
    "polarity+threshold",
    "brf",
    "easy_ensemble",
    "balanced_bagging",
    "rusboost",
    "brf+threshold",
    "easy_ensemble+threshold",
    "balanced_bagging+threshold",
    "rusboost+threshold",
    "egan",
]


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--summary", required=True, help="a summary.md of skimbgan benchmark --tune")
    args = p.parse_args(argv)
    with open(args.summary) as f:
        text = tables(read(f.read()))
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(f"From `{args.summary}`:\n\n{text}\n")
    return text


if __name__ == "__main__":
    main()
