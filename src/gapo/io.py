"""Atomic file output: write beside the target, then rename, so a failed step leaves no half file."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _umask_mode(mode: int) -> int:
    """`mode` as the process's umask leaves it: what a plainly created file or folder gets."""
    umask = os.umask(0o077)  # read by setting; restored at once
    os.umask(umask)
    return mode & ~umask


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to `path`; it replaces `path` only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        tmp_path.chmod(_umask_mode(0o666))  # mkstemp makes it private; outputs are plain files
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


@contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary directory next to `path`; it replaces `path` only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        tmp.chmod(_umask_mode(0o777))  # mkdtemp makes it private; outputs are plain folders
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    write_text(path, json.dumps(obj, indent=2, sort_keys=True) + "\n")


def read_json(path: str | os.PathLike) -> Any:
    return json.loads(Path(path).read_text())


def read_json_map(keys: Iterable[Any], paths: Iterable[str | os.PathLike]) -> dict[Any, Any]:
    """JSON files keyed by what each holds (keys and paths in the same order); keys become tuples."""
    keys, paths = list(keys), list(paths)
    if len(keys) != len(paths):
        raise ValueError(f"{len(keys)} keys for {len(paths)} files")
    return {tuple(k) if isinstance(k, list) else k: read_json(p) for k, p in zip(keys, paths, strict=True)}


def write_jsonl(path: str | os.PathLike, records: Iterable[dict]) -> int:
    n = 0
    with atomic_path(path) as tmp, tmp.open("w") as fh:
        for record in records:
            fh.write(json.dumps(record, sort_keys=True) + "\n")
            n += 1
    return n


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    records = []
    with Path(path).open() as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{lineno}: not a JSON line ({err})") from err
    return records


def save_with(path: str | os.PathLike, save: Callable[[Path], None]) -> None:
    """Atomically write a file whose writer takes a path (e.g. matplotlib's savefig)."""
    target = Path(path)
    with atomic_path(target) as tmp:
        final_tmp = tmp.with_suffix(target.suffix)  # writers pick the format from the suffix
        try:
            save(final_tmp)
            os.replace(final_tmp, tmp)
        finally:
            final_tmp.unlink(missing_ok=True)
