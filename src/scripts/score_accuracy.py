"""Rule accuracy: lm-eval scores of one model (base or with an adapter)."""

from pathlib import Path

from gapo.accuracy import evaluate_accuracy, tasks_from_config
from gapo.io import write_json
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    work_dir = Path(p.work_dir)
    tasks = tasks_from_config(p.accuracy["tasks"], snakemake.input.data, work_dir)
    adapter = snakemake.input.adapter[0] if snakemake.input.adapter else None
    scores = evaluate_accuracy(
        p.base,
        adapter,
        tasks,
        work_dir,
        batch_size=p.accuracy["batch_size"],
        limit=p.accuracy["limit"],
        apply_chat_template=p.accuracy["apply_chat_template"],
        allow_code_execution=p.accuracy["allow_code_execution"],
        device=p.device,
        dtype=p.dtype,
    )
    write_json(snakemake.output[0], scores)
