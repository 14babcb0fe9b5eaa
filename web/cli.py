"""The ``katf`` command: serve, migrate, project, jobs, rebuild, seed-demo."""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from projections.database import DatabaseUnavailable
from web.platform.heap import settle_heap
from web.platform.logs import json_logging
from web.platform.settings import Settings, SettingsError, load_settings

console = Console(stderr=True)
# Longer than a proxy's or client's own idle limit (60 s for the common ones): a connection they
# reuse is never one the server is closing at that moment, which loses the request on it.
KEEP_ALIVE_SECONDS = 65
REQUEST_THREADS = 64
BENCH_EXTRA = "simulate-day needs the bench extra (aiohttp): pip install -e '.[bench]'"
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[..., int]]:
    def register(function: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
        COMMANDS[name] = function
        return function

    return register


def subcommand_names() -> set[str]:
    return set(COMMANDS)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


@command("migrate")
def migrate_command(args: argparse.Namespace) -> int:
    from web.bootstrap import migrate_database

    applied = migrate_database(load_settings())
    console.print(f"applied: {', '.join(applied)}" if applied else "database is up to date")
    return 0


def migrated_settings() -> Settings:
    """Settings of a database that is fully migrated; the app never creates tables itself."""
    from migrations.apply import pending_migrations

    settings = load_settings()
    pending = pending_migrations(settings.database_url)
    if pending:
        raise SettingsError(
            f"the database needs `katf migrate` first (pending: {', '.join(pending)})"
        )
    return settings


@command("serve")
def serve_command(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    import uvicorn
    from litestar.concurrency import set_asyncio_executor

    from web.app import create_app, served
    from web.bootstrap import bootstrap

    json_logging()
    services = bootstrap(migrated_settings())
    # imports are leased chunk by chunk: every web process works on them beside `katf project`,
    # so a list is taken up at once by the process it was uploaded to and lists share the cores
    services.start_jobs()
    # asyncio's default pool has six threads on two cores: no more than six requests at a time
    # would reach the command batcher, whose batches are meant to hold dozens.
    set_asyncio_executor(ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="request"))
    console.print(f"Katf at http://{args.host}:{args.port}")
    app = create_app(services)
    settle_heap()
    proxies = list(services.settings.trusted_proxies)
    try:
        uvicorn.run(
            served(app),
            host=args.host,
            port=args.port,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            # uvicorn would believe X-Forwarded-For from anyone on loopback: only these proxies
            proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies or None,
        )
    finally:
        services.close()
    return 0


@command("project")
def project_command(args: argparse.Namespace) -> int:
    from web.bootstrap import bootstrap
    from workers.rounds import run_escalator

    json_logging()
    services = bootstrap(migrated_settings())
    services.runner.ensure_tracking()
    stop, wake = threading.Event(), threading.Event()

    def stop_following(*_: object) -> None:
        stop.set()
        wake.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop_following)
    console.print("projection worker following the event log")
    settle_heap()
    escalator = threading.Thread(target=run_escalator, args=(services, stop), daemon=True)
    escalator.start()
    services.start_delivery()
    services.start_jobs()
    services.runner.run(stop, wake)
    escalator.join(timeout=5)
    services.close()
    return 0


@command("jobs")
def jobs_command(args: argparse.Namespace) -> int:
    """A worker of the job queue alone (imports); ``--once``: the jobs waiting now, then exit."""
    from web.bootstrap import bootstrap
    from workers.jobs import queue_depth, run_worker, work_until_idle

    json_logging()
    services = bootstrap(migrated_settings())
    seconds = services.settings.job_lease_seconds
    try:
        if args.once:
            done = work_until_idle(services.db, services.jobs, seconds)
            console.print(f"jobs worked on: {done}; waiting or running: {queue_depth(services.db)}")
            return 0
        stop, wake = threading.Event(), threading.Event()

        def stop_working(*_: object) -> None:
            stop.set()
            wake.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop_working)
        console.print("job worker waiting for jobs")
        run_worker(services.db, services.jobs, stop, wake, seconds)
    finally:
        services.close()
    return 0


@command("deliver")
def deliver_command(args: argparse.Namespace) -> int:
    """A delivery worker alone: sends the outbox's due messages, with retries."""
    from web.bootstrap import bootstrap
    from web.delivery import deliverer_for
    from workers.delivery import run_delivery, statuses

    json_logging()
    services = bootstrap(migrated_settings())
    try:
        deliverer = deliverer_for(services)
        if args.once:
            while sum(deliverer.round().values()):
                pass
            console.print(f"messages by status: {statuses(services.db)}")
            return 0
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        console.print("delivery worker sending the outbox's messages")
        run_delivery(deliverer, stop)
    finally:
        services.close()
    return 0


@command("rebuild")
def rebuild_command(args: argparse.Namespace) -> int:
    from web.bootstrap import bootstrap
    from web.rebuild import rebuild_every_view

    services = bootstrap(migrated_settings())
    settle_heap()
    try:
        services.runner.ensure_tracking()
        if args.view == "all":
            with progress_bar() as bar:
                task = bar.add_task("rebuilding every view", total=None)
                rebuild_every_view(
                    services, lambda done, total: bar.update(task, completed=done, total=total)
                )
            return 0
        try:
            projection = services.runner.projection(args.view)
        except KeyError:
            names = ", ".join(p.name for p in services.runner.projections)
            console.print(f"[red]unknown view {args.view!r}; views: {names}")
            return 2
        with progress_bar() as bar:
            task = bar.add_task(f"rebuilding {projection.name}", total=None)
            services.runner.rebuild(
                projection, lambda done, total: bar.update(task, completed=done, total=total)
            )
    finally:
        services.close()
    return 0


@command("views")
def views_command(args: argparse.Namespace) -> int:
    """Every view's position, lag and state, a line each (whole, for grep and alerts); 1 if any
    is stalled."""
    from web.bootstrap import bootstrap

    services = bootstrap(migrated_settings())
    try:
        states = services.runner.states()
    finally:
        services.close()
    width = max(len(view.name) for view in states)
    print(f"{'view':<{width}}  {'position':>10}  {'lag':>8}  state")
    for view in states:
        line = f"{view.name:<{width}}  {view.position:>10}  {view.lag:>8}  {view.state}"
        if view.stalled:
            line += f" on event {view.event} ({view.topic}) since {view.since}: {view.error}"
        print(line)
    return 1 if any(view.stalled for view in states) else 0


@command("resume")
def resume_command(args: argparse.Namespace) -> int:
    from projections.view_state import resume
    from web.bootstrap import bootstrap

    services = bootstrap(migrated_settings())
    try:
        names = [p.name for p in services.runner.projections]
        if args.view not in names:
            console.print(f"[red]unknown view {args.view!r}; views: {', '.join(names)}")
            return 2
        if not resume(services.db, args.view):
            console.print(f"{args.view} is not stalled")
            return 0
    finally:
        services.close()
    console.print(f"{args.view} resumes from where it stalled")
    return 0


@command("seed-demo")
def seed_demo_command(args: argparse.Namespace) -> int:
    from coordination.demo import seed_demo
    from coordination.demo_accounts import seed_demo_accounts
    from web.bootstrap import bootstrap

    services = bootstrap(migrated_settings())
    try:
        with progress_bar() as bar:
            task = bar.add_task("demo campaign", total=None)
            seed_demo(
                services.dispatcher,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
        accounts = seed_demo_accounts(services.dispatcher)
    finally:
        services.close()
    print_demo_accounts(accounts)
    return 0


def print_demo_accounts(accounts: list[Any]) -> None:
    """The demo's sign-ins, on standard output: one per role."""
    from rich.table import Table

    table = Table(title="Demo accounts: sign in at /sign-in")
    for column in ("role", "phone", "password"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account.role.value.replace("_", " "), account.phone, account.password)
    Console().print(table)


@command("create-user")
def create_user_command(args: argparse.Namespace) -> int:
    """A staff account, e.g. the first national admin; the password is read, never an argument."""
    from coordination.areas.accounts.commands import CreateUser
    from coordination.errors import DomainError
    from coordination.permissions import SYSTEM, grant_for
    from web.bootstrap import bootstrap

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline()
    services = bootstrap(migrated_settings())
    try:
        grant = grant_for(args.role, args.scope)
        command = CreateUser(args.phone, args.name, password.rstrip("\n"), [grant])
        account_id = services.dispatcher.run(command, SYSTEM)
    except DomainError as error:
        from web.platform.errors import message_of

        console.print(f"[red]refused ({error.code}):[/] {message_of(error, 'en')}")
        return 1
    finally:
        services.close()
    console.print(f"account {account_id} created with role {args.role}")
    return 0


@command("simulate-day")
def simulate_day_command(args: argparse.Namespace) -> int:
    """The launch day through the HTTP API of running web workers, with progress."""
    import json

    try:
        from workers.simulation.day import Plan, simulate
    except ImportError as missing:
        # escaped: rich would take "[bench]" for markup and print nothing of it
        console.print(f"[red]{escape(str(missing))}:[/] {escape(BENCH_EXTRA)}")
        return 2

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline()
    plan = Plan.at(args.scale)
    console.print(f"the launch day at scale {args.scale}: {plan.described()}")
    with progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        outcome = event_loop_runner()(
            simulate(args.base, args.phone, password.rstrip("\n"), plan, args.clients, progress)
        )
    if args.views:
        outcome["views_caught_up_s"] = views_caught_up()
    text = json.dumps(outcome, indent=2, ensure_ascii=False)
    if args.json:
        Path(args.json).write_text(text)
    print(text)
    return 0


def event_loop_runner() -> Any:
    try:
        import uvloop
    except ImportError:  # uvloop has no Windows build
        import asyncio

        return asyncio.run
    return uvloop.run


def views_caught_up(seconds: float = 3600) -> float | None:
    """Seconds after the day's last request until every view has reached the log's head."""
    import time

    from web.bootstrap import bootstrap

    services = bootstrap(migrated_settings())
    try:
        started, deadline = time.monotonic(), time.monotonic() + seconds
        while time.monotonic() < deadline:
            if services.runner.caught_up():
                return round(time.monotonic() - started, 2)
            time.sleep(0.1)
        return None
    finally:
        services.close()


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="katf", description="Katf volunteer coordination")
    sub = root.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    sub.add_parser("migrate", help="create or update every table")
    sub.add_parser("project", help="run the projection worker (with a job worker)")
    jobs = sub.add_parser("jobs", help="run a worker of the job queue (imports)")
    jobs.add_argument("--once", action="store_true", help="the jobs waiting now, then exit")
    deliver = sub.add_parser("deliver", help="run a delivery worker (SMS, e-mail)")
    deliver.add_argument("--once", action="store_true", help="what is due now, then exit")
    rebuild = sub.add_parser("rebuild", help="drop and rebuild a view (or all) from the log")
    rebuild.add_argument("view", help="a view's name, or all")
    sub.add_parser("views", help="every view's position, lag and state")
    resume = sub.add_parser("resume", help="resume a stalled view once its cause is fixed")
    resume.add_argument("view", help="a view's name")
    sub.add_parser("seed-demo", help="load the demo campaign")
    user = sub.add_parser("create-user", help="create a staff account (password from stdin)")
    user.add_argument("--phone", required=True)
    user.add_argument("--name", required=True)
    user.add_argument("--role", required=True, help="e.g. national_admin, site_manager")
    user.add_argument("--scope", default="", help="site, association or governorate it covers")
    day = sub.add_parser(
        "simulate-day", help="replay the launch day through the HTTP API (password from stdin)"
    )
    day.add_argument("--base", action="append", required=True, help="a web worker's URL")
    day.add_argument("--phone", required=True, help="a national admin's phone")
    day.add_argument("--scale", type=float, default=1.0, help="1 is the record's day")
    day.add_argument("--clients", type=int, default=64, help="requests in flight")
    day.add_argument("--json", help="also write the results to this file")
    day.add_argument(
        "--views", action="store_true", help="then wait for every view (needs KATF_ settings)"
    )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SettingsError as error:
        console.print(f"[red]configuration error:[/] {error}")
        return 2
    except DatabaseUnavailable as error:
        console.print(f"[red]database unavailable:[/] {escape(str(error))}")
        return 3


if __name__ == "__main__":
    sys.exit(main())
