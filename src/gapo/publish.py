"""Copy the default run's summary table into the README, between its results markers.

    python -m gapo.publish [results/tables/summary.md] [README.md]

The README's numbers are then the DAG's output, never typed by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gapo.io import write_text

START, END = "<!-- results:start -->", "<!-- results:end -->"


def insert_results(readme: str, table: str) -> str:
    if START not in readme or END not in readme:
        raise ValueError(f"the README has no {START} ... {END} markers")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table.rstrip()}\n{END}{tail}"


def main(argv: list[str]) -> None:
    table = Path(argv[0] if argv else "results/tables/summary.md")
    readme = Path(argv[1] if len(argv) > 1 else "README.md")
    write_text(readme, insert_results(readme.read_text(), table.read_text()))


if __name__ == "__main__":
    main(sys.argv[1:])
