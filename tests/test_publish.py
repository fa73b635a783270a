"""The README's result tables are the DAG's files, copied between markers."""

import pytest

from gapo.publish import publish, published_block

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
