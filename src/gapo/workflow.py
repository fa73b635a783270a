"""What every entry script does around its one library call: logging, threads, offline mode."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def one_line_errors(*errors: type[Exception]) -> Iterator[None]:
    """End the step on `errors` with their one-line message, on the console and in its log, and no
    traceback (a bad config value the message names, not a bug)."""
    try:
        yield
    except errors as err:
        print(err, file=sys.__stderr__)
        print(err, file=sys.stderr)
        sys.exit(1)


@contextlib.contextmanager
def rule_context(snakemake: Any) -> Iterator[None]:
    """Send the step's output to its `log:` file and use the threads Snakemake granted it."""
    # Nothing is fetched at run time; a hub model must already be in the local cache.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    log_path = snakemake.log[0] if snakemake.log else None
    with contextlib.ExitStack() as stack:
        if log_path:
            os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
            fh = stack.enter_context(open(log_path, "w", buffering=1))
            stack.enter_context(contextlib.redirect_stdout(fh))
            stack.enter_context(contextlib.redirect_stderr(fh))
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr, force=True
        )
        threads = max(1, int(snakemake.threads))
        # Table and figure steps never load torch: pay its import only where a model runs
        os.environ["OMP_NUM_THREADS"] = str(threads)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
        try:
            yield
        except Exception:
            logging.getLogger("gapo").exception("step failed")
            raise
