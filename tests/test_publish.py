"""The README's result tables are the DAG's files, copied between markers."""

from pathlib import Path

import pytest

from gapo.publish import publish, published_block, target_rows, verdicts_contradict

README = """# title
<!-- results:start -->
old summary
<!-- results:end -->
text between
<!-- ablations:start -->
old ablations
<!-- ablations:end -->
end
"""


def test_each_table_lands_between_its_markers_and_nothing_else_changes(tmp_path):
    (tmp_path / "summary.md").write_text("| new summary |\n")
    (tmp_path / "ablations.md").write_text("| new ablations |\n")
    readme = tmp_path / "README.md"
    readme.write_text(README)
    assert publish(tmp_path, readme) == ["results", "ablations"]
    expected = README.replace("old summary", "| new summary |").replace("old ablations", "| new ablations |")
    assert readme.read_text() == expected
    # what a reader of the README (benchmarks/fp_path.py) takes back out is the table put in
    assert published_block(readme.read_text(), "results").strip() == "| new summary |"


def test_without_an_ablation_run_only_the_summary_is_copied(tmp_path):
    (tmp_path / "summary.md").write_text("| new summary |\n")
    readme = tmp_path / "README.md"
    readme.write_text(README)
    assert publish(tmp_path, readme) == ["results"]
    assert "old ablations" in readme.read_text()


def test_missing_markers_or_summary_fail_with_the_reason(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README)
    with pytest.raises(FileNotFoundError, match=r"summary\.md is missing"):
        publish(tmp_path, readme)
    (tmp_path / "summary.md").write_text("x")
    readme.write_text("# no markers\n")
    with pytest.raises(ValueError, match="results:start"):
        publish(tmp_path, readme)
    assert readme.read_text() == "# no markers\n"


def _row(met: str, settled: str) -> dict[str, str]:
    return {"claim": "GAPO flattens held-out lists", "met": met, "settled": settled}


def test_a_verdict_turned_inside_both_intervals_is_spread_and_a_settled_one_a_contradiction():
    assert not verdicts_contradict(_row("yes", "no"), _row("no", "no"))  # the target inside both CIs
    assert verdicts_contradict(_row("yes", "yes"), _row("no", "no"))  # the reference's CI was clear
    assert verdicts_contradict(_row("yes", "no"), _row("no", "yes"))  # this run's CI is clear of it
    assert verdicts_contradict(_row("yes", ""), _row("no", ""))  # one seed: no interval to excuse it
    assert not verdicts_contradict(_row("no", "yes"), _row("yes", "yes"))  # only a lost target counts


def test_the_targets_table_reads_back_by_column_from_a_rendered_summary():
    import pandas as pd

    from gapo.tables import aggregate_seeds, summary_markdown

    per_seed = pd.read_csv(Path(__file__).parents[1] / "docs/results/standin_portable_kernels/summary_per_seed.csv")
    md = summary_markdown(aggregate_seeds(per_seed), [0.7, 1.0], per_seed, ["standin"])
    read = target_rows(md)
    assert len(read) == 11 and read[0]["claim"] == "base collapsed on held-out lists"  # every row, in order
    rows = {(r["claim"], r["metric"]): r for r in read}
    drop = rows[("GAPO flattens held-out lists", "base - heldout_jsd")]
    assert (drop["measured"], drop["target"], drop["met"], drop["settled"]) == ("0.110 ± 0.049", ">= 0.15", "no", "no")
    assert rows[("GAPO flattens held-out lists", "heldout_jsd")]["settled"] == "yes"  # 0.530 ± 0.059 > 0.45
    with pytest.raises(ValueError, match="no targets table"):
        target_rows("| model | method |\n|---|---|\n")
    # a summary from before the settled column: every verdict counts as settled
    old = "Targets at temperature 0.7:\n\n| model | claim | met |\n|---|---|---|\n| standin | GAPO | no |\n"
    assert target_rows(old) == [{"model": "standin", "claim": "GAPO", "met": "no", "settled": "yes"}]
