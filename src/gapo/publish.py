"""Copy the run's tables into the README, each between its own pair of markers.

    python -m gapo.publish [results/tables] [README.md]

`summary.md` goes between `<!-- results:start -->` and `<!-- results:end -->`, `ablations.md`
between `<!-- ablations:start -->` and `<!-- ablations:end -->`. The README's numbers are then the
DAG's output, never typed by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gapo.io import write_text

BLOCKS = {"results": "summary.md", "ablations": "ablations.md"}


def _split(readme: str, name: str) -> tuple[str, str, str]:
    """`readme` cut at the markers of block `name`: before the block, the block, after it."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in readme or end not in readme:
        raise ValueError(f"the README has no {start} ... {end} markers")
    head, rest = readme.split(start, 1)
    block, tail = rest.split(end, 1)
    return head, block, tail


def insert_block(readme: str, name: str, table: str) -> str:
    """`readme` with the text between the markers of block `name` replaced by `table`."""
    head, _, tail = _split(readme, name)
    return f"{head}<!-- {name}:start -->\n{table.rstrip()}\n<!-- {name}:end -->{tail}"


def published_block(readme: str, name: str) -> str:
    """The table the README publishes between the markers of block `name`."""
    return _split(readme, name)[1]


def target_rows(summary: str) -> list[dict[str, str]]:
    """The rows of the targets table of a summary (`gapo.tables.summary_markdown`), by column:
    model, claim, metric, measured, seeds, target, met, settled. A summary from before the settled
    column counts every verdict as settled."""
    if "Targets at temperature" not in summary:
        raise ValueError("the summary has no targets table")
    text = summary.split("Targets at temperature", 1)[1]
    header, *rows = (line.strip("| ").split(" | ") for line in text.splitlines() if line.startswith("| "))
    return [{"settled": "yes", **dict(zip(header, row, strict=True))} for row in rows]


def verdicts_contradict(reference: dict[str, str], other: dict[str, str]) -> bool:
    """The reference meets a target that the other run misses, and not both verdicts are unsettled
    (settled "no": the target inside the CI). Two verdicts on either side of a target that lies
    inside both intervals are the seed spread, not a contradiction; a verdict without an interval
    (one seed) counts as settled."""
    both_open = reference["settled"] == "no" and other["settled"] == "no"
    return reference["met"] == "yes" and other["met"] != "yes" and not both_open


def publish(tables: Path, readme: Path) -> list[str]:
    """Insert every table of `tables` that the README has markers for; return the blocks written.
    The summary is required; the ablation table only when the ablations target was run."""
    text = readme.read_text()
    written = []
    for name, filename in BLOCKS.items():
        path = tables / filename
        if not path.is_file():
            if name == "results":
                raise FileNotFoundError(f"{path} is missing: run the DAG first")
            continue
        text = insert_block(text, name, path.read_text())
        written.append(name)
    write_text(readme, text)
    return written


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description="Copy a run's summary (and ablation) tables into the README.")
    ap.add_argument("tables", nargs="?", default="results/tables", type=Path, help="the run's tables directory")
    ap.add_argument("readme", nargs="?", default="README.md", type=Path)
    args = ap.parse_args(argv)
    print(f"{args.readme}: {', '.join(publish(args.tables, args.readme))} updated from {args.tables}")


if __name__ == "__main__":
    main(sys.argv[1:])
