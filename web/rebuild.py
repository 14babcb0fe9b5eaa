"""Every view rebuilt from the log; on PostgreSQL by two processes, each replaying a group of
views and reading and decoding only the events its views handle (one process cannot keep both
cores busy: it waits on the database, which waits on it)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Sequence
from typing import Any

from projections.projection import Projection
from projections.runner import Progress, ProjectionRunner
from web.bootstrap import Services, bootstrap
from web.platform.heap import settle_heap
from web.platform.settings import Settings

WORKERS = 2
log = logging.getLogger(__name__)


class RebuildFailed(RuntimeError):
    pass


def rebuild_every_view(
    services: Services, progress: Progress | None = None, workers: int | None = None
) -> None:
    runner = services.runner
    if workers is None:
        workers = min(WORKERS, os.cpu_count() or 1) if services.settings.is_postgres else 1
    if workers <= 1:
        runner.rebuild_all(progress)
        return
    target = runner.empty_all()
    groups = balanced(runner.projections, topic_counts(services), workers)
    context = multiprocessing.get_context("spawn")
    reports: Any = context.Queue()
    processes = [
        context.Process(
            target=_replay_group,
            args=(services.settings, names, target, index, reports),
            name=f"rebuild-{index}",
        )
        for index, names in enumerate(groups)
    ]
    for process in processes:
        process.start()
    try:
        _follow(processes, reports, target, progress)
    except RebuildFailed as failure:
        _stop(processes)
        # each view's batches are whole: every view goes on from where it stopped
        log.warning("rebuilding here, one view after another: %s", failure)
        runner.catch_up(progress)
    finally:
        _stop(processes)


def _stop(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.join(timeout=10)
        if process.is_alive():
            process.terminate()
            process.join()


def _follow(processes: list[Any], reports: Any, target: int, progress: Progress | None) -> None:
    """Each group's position as it reports it, until every group is done."""
    positions, done = [0] * len(processes), set[int]()
    while len(done) < len(processes):
        try:
            index, position, error = reports.get(timeout=1)
        except queue.Empty:
            for index, process in enumerate(processes):
                if index not in done and process.exitcode is not None:
                    raise RebuildFailed(f"{process.name} ended ({process.exitcode})") from None
            continue
        if error is not None:
            raise RebuildFailed(f"{processes[index].name}: {error}")
        if position is None:
            done.add(index)
            positions[index] = target
        else:
            positions[index] = position
        if progress is not None:
            progress(sum(positions) // len(positions), target)


def _replay_group(
    settings: Settings, names: list[str], target: int, index: int, reports: Any
) -> None:
    services = bootstrap(settings)
    settle_heap()
    try:
        views = [p for p in services.runner.projections if p.name in names]
        runner = ProjectionRunner(services.app, services.db, views)
        runner.replay(target, lambda position, _: reports.put((index, position, None)))
        reports.put((index, None, None))
    except BaseException as error:  # noqa: BLE001 - told to the process that waits
        reports.put((index, None, repr(error)))
    finally:
        services.close()


def balanced(
    projections: Sequence[Projection], counts: dict[str, int], groups: int
) -> list[list[str]]:
    """The views in ``groups`` groups of about as many events to replay, the busiest first."""
    load = {p.name: sum(counts.get(topic, 0) for topic in p.topics) for p in projections}
    chosen: list[list[str]] = [[] for _ in range(groups)]
    totals = [0] * groups
    for name in sorted(load, key=lambda n: -load[n]):
        lightest = totals.index(min(totals))
        chosen[lightest].append(name)
        totals[lightest] += load[name]
    return [group for group in chosen if group]


def topic_counts(services: Services) -> dict[str, int]:
    """How many events of each kind the log holds."""
    import psycopg
    from psycopg.sql import SQL, Identifier

    recorder: Any = services.app.recorder
    statement = SQL("SELECT topic, COUNT(*) FROM {schema}.{table} GROUP BY topic").format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    with psycopg.connect(services.settings.database_url) as connection:
        return {topic: count for topic, count in connection.execute(statement).fetchall()}
