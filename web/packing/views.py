"""What the packing pages and API share: today's date, the board now or at a past moment."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, TypedDict

from coordination.badges import PREFIX as BADGE_PREFIX
from coordination.calendar import CAMPAIGN_TIMEZONE
from coordination.errors import InvalidInput
from coordination.identity import normalise_digits
from projections.attendance_board import AttendanceBoard
from projections.database import Database, Row
from projections.packing_board import PackingBoard
from projections.stadium import find_packing_site, stadium_board
from projections.time_travel import replay_until
from web.platform.fields import today

__all__ = ["board_at", "board_of", "moment_of", "today", "who_is"]

MIGRATIONS = sorted((Path(__file__).parents[2] / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql"))


class Who(TypedDict, total=False):
    badge: str
    phone: str


def who_is(text: str) -> Who:
    """A scanned badge or a typed mobile number, as the command that names the volunteer
    takes it."""
    if text.strip().startswith(BADGE_PREFIX + "."):
        return {"badge": text}
    return {"phone": text}


def board_of(db: Database, site: Row, day: str, now: datetime | None = None) -> dict[str, Any]:
    return stadium_board(db, site, day, now or datetime.now(UTC))


def moment_of(day: str, clock: str) -> datetime:
    """``10:42`` (or ``١٠:٤٢``, as an Arabic page writes it) on the campaign's day, in Egypt's
    time; refused if malformed or to come."""
    try:
        moment = datetime.combine(
            datetime.fromisoformat(day).date(), time.fromisoformat(normalise_digits(clock).strip())
        ).replace(tzinfo=CAMPAIGN_TIMEZONE)
    except ValueError:
        raise InvalidMoment() from None
    if moment > datetime.now(CAMPAIGN_TIMEZONE):
        raise InvalidMoment()
    return moment


def board_at(app: Any, views: Database, site: Row, day: str, moment: datetime) -> dict[str, Any]:
    """The board as it was: the log replayed up to the moment into a scratch database, from
    the nearest checkpoint kept in the read-model database ``views``."""
    db = replay_until(
        app, [PackingBoard(), AttendanceBoard()], MIGRATIONS, moment, checkpoints=views
    )
    try:
        then = find_packing_site(db, site["site_id"]) or site
        return stadium_board(db, then, day, moment)
    finally:
        db.close()


class InvalidMoment(InvalidInput):
    code = "invalid_moment"
