"""The board as it was (``/packing/{site}/at``): how long a past moment takes to answer, with
the replay's checkpoints (``projections/time_travel.py``) and without them, on a generated log.

    python -m bench.past_board [--batches 12000] [--moments 40] [--postgres URL | --day URL]

One stadium logs ``--batches`` box batches (three log events each, two of them the board's)
from eight threads; then ``--moments`` moments spread evenly over the log are asked through
``board_at`` twice: the first round, from the last moment back, saves the checkpoints (the first
request replays the whole log, each next one at most ``SPARSE * EVERY`` events from
``SPARSE * SPAN`` of the log), the second is timed (each request replays at most ``EVERY`` from
``SPAN``). A full replay of the whole log is timed once for comparison; ``--check N``: N of
the moments are asked again of a full replay each, and the two boards compared. Checkpoints
are taken at once (``SETTLED`` set to zero): the log is seconds old.
``--postgres``: an empty database to migrate and fill (the default: SQLite in a new folder).
``--day URL``: the database a launch day left (``bench.run --only day``, its secret key), whose
stadium board is asked instead, nothing logged (the issue's shape: the day's log at scale 1;
its checkpoints are kept, so a second run times the second round only: delete them first).
The log's board here is small (no attendance), so the checkpoints are too: at scale 1 the
board's image at the end of the day is about 34 MB (11 MB compressed), some 150 ms more to load.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID

from bench.run import SECRET as DAY_SECRET
from bench.seeding import open_stadium
from coordination.areas.packing.commands import AddLine, ConfigurePacking, LogBoxes
from coordination.permissions import SYSTEM
from projections import time_travel
from projections.attendance_board import AttendanceBoard
from projections.packing_board import PackingBoard
from projections.stadium import find_packing_site, packing_sites, stadium_board
from web.bootstrap import Services, bootstrap, migrate_database
from web.packing.views import MIGRATIONS, board_at
from web.platform.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=12_000)
    parser.add_argument("--moments", type=int, default=40)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--day", default="", help="a launch day's database, asked as it is")
    parser.add_argument("--check", type=int, default=0, help="moments compared to full replays")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="katf-past-board-")
    settings = Settings(
        database_url=options.day or options.postgres or f"sqlite:///{folder}/katf.db",
        secret_key=DAY_SECRET if options.day else "bench-" * 8,
        fast_password_hashing=True,
        batch_commands=True,
    )
    migrate_database(settings)
    services = bootstrap(settings)
    services.runner.ensure_tracking()
    time_travel.SETTLED = timedelta(0)
    try:
        if options.day:
            services.runner.catch_up()
            site = packing_sites(services.db)[0]["site_id"]
        else:
            site = str(logged_stadium(services, options.batches))
        row = find_packing_site(services.db, site)
        assert row is not None
        last = services.app.recorder.max_notification_id() or 0
        moments = [
            services.app.mapper.to_domain_event(found[0]).timestamp
            for n in range(1, options.moments + 1)
            if (
                found := services.app.recorder.select_notifications(
                    start=n * last // options.moments, limit=1
                )
            )
        ]
        day = moments[-1].date().isoformat()
        started = time.perf_counter()
        for moment in reversed(moments):
            board_at(services.app, services.db, row, day, moment)
        print(f"first round (saving checkpoints): {time.perf_counter() - started:.1f} s")
        took = []
        for moment in moments:
            started = time.perf_counter()
            board_at(services.app, services.db, row, day, moment)
            took.append(time.perf_counter() - started)
        cuts = statistics.quantiles(took, n=20)
        print(
            f"with checkpoints: p50 {1000 * cuts[9]:.0f} ms, p95 {1000 * cuts[18]:.0f} ms,"
            f" max {1000 * max(took):.0f} ms"
        )
        saved = services.db.query(
            "SELECT count(*) AS n, sum(length(image)) AS size FROM replay_checkpoints"
        )[0]
        print(f"checkpoints: {saved['n']}, {saved['size'] / 1e6:.1f} MB")
        started = time.perf_counter()
        views = [PackingBoard(), AttendanceBoard()]
        time_travel.replay_until(services.app, views, MIGRATIONS, datetime.now(UTC)).close()
        print(f"full replay of the whole log: {time.perf_counter() - started:.1f} s")
        checked = moments[:: max(1, len(moments) // options.check)] if options.check else []
        for moment in checked:
            replayed = time_travel.replay_until(services.app, views, MIGRATIONS, moment)
            try:
                then = find_packing_site(replayed, site) or row
                assert board_at(services.app, services.db, row, day, moment) == stadium_board(
                    replayed, then, day, moment
                ), f"the board at {moment} differs from a full replay"
            finally:
                replayed.close()
        if checked:
            print(f"{len(checked)} moments: the board from checkpoints equals a full replay's")
    finally:
        services.close()


def logged_stadium(services: Services, batches: int) -> UUID:
    """A stadium whose lines log ``batches`` box batches from eight threads."""
    site = open_stadium(services, "past-board")
    services.dispatcher.run(ConfigurePacking(site, 100_000, {"rice (kg)": 2}), SYSTEM)
    lines = [
        services.dispatcher.run(AddLine(site, f"Line {n}", "North", 400), SYSTEM) for n in range(20)
    ]

    def log(n: int) -> None:
        services.dispatcher.run(LogBoxes(site, lines[n % 20], 50, f"b{n}"), SYSTEM)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(log, range(batches)))
    print(f"logged {batches} batches in {time.perf_counter() - started:.1f} s")
    services.runner.catch_up()
    return site


if __name__ == "__main__":
    main()
