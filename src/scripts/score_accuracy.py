"""Rule accuracy: lm-eval scores of one model (base or with an adapter)."""

from pathlib import Path

from gapo.accuracy import AccuracyTask, evaluate_accuracy, write_local_task_data
from gapo.io import write_json
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    work_dir = Path(p.work_dir)
    tasks = [
        AccuracyTask(
            name=t["name"],
            metric=t["metric"],
            num_fewshot=t.get("num_fewshot"),
            data=write_local_task_data(t, snakemake.input.data, work_dir) if t.get("data") else None,
            kind=t.get("kind"),
            limit=t.get("limit"),
        )
        for t in p.accuracy["tasks"]
    ]
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
