"""Run the MkDocs build of every language's overlay, in parallel processes (one per CPU core), strictly:
any MkDocs warning stops the build."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from pathlib import Path


def _mkdocs_build(job: tuple[str, str]) -> float:
    overlay, site_dir = job
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    start = time.monotonic()
    build(load_config(config_file=overlay, strict=True, site_dir=site_dir))
    return time.monotonic() - start


def build_languages(overlays: list[Path], out: Path, workers: int | None = None) -> dict[str, float]:
    """Build each overlay (build/mkdocs/<lang>.yml) into out/<lang>; returns {lang: seconds}."""
    jobs = [(str(o), str(Path(out) / o.stem)) for o in overlays]
    n = workers or min(len(jobs), os.cpu_count() or 1)
    if n <= 1:
        seconds = [_mkdocs_build(job) for job in jobs]
    else:
        import material  # noqa: F401  imported once here, inherited by the forked workers
        import mkdocs.commands.build  # noqa: F401
        with cf.ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
            seconds = list(pool.map(_mkdocs_build, jobs))
    return {o.stem: s for o, s in zip(overlays, seconds)}
