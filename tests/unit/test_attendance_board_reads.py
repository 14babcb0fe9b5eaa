"""The attendance board writes a check-in without reading which shift its attendance is of,
when the attendance opened earlier in this worker: a read stops the worker's pipelined
batch until the database answers, once per scan at the gates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from coordination.attendance import Attendance
from projections.attendance_board import AttendanceBoard


class RecordingCursor:
    """Answers what a read of the site's shifts would; keeps every statement."""

    def __init__(self, site_id: str) -> None:
        self.site_id, self.statements, self.rowcount = site_id, [], 1
        self._answer: dict[str, Any] | None = None

    def execute(self, sql: str, params: Any = ()) -> RecordingCursor:
        self.statements.append(sql)
        self._answer = {"site_id": self.site_id} if "FROM site_shifts" in sql else None
        return self

    def fetchone(self) -> dict[str, Any] | None:
        return self._answer


def test_a_check_in_after_its_attendance_opened_reads_nothing_of_the_attendance() -> None:
    site_id, shift_id, starts = uuid4(), uuid4(), datetime.now(UTC)
    ends = starts + timedelta(hours=4)
    board, cursor = AttendanceBoard(), RecordingCursor(str(site_id))
    for _ in range(3):  # three volunteers on the same shift
        attendance = Attendance(shift_id, uuid4(), site_id, "01", starts, ends)
        attendance.check_in("Gate 1", starts, "key", walk_in=False)
        opened, checked_in = attendance.collect_events()
        board.process(cursor, opened)
        keys = board.process(cursor, checked_in)
        assert list(keys) == [f"packing:{site_id}"]
    reads = [sql for sql in cursor.statements if sql.startswith("SELECT")]
    assert not [sql for sql in reads if "FROM attendance" in sql]
    assert len(reads) == 1  # the shift's site, once: it never changes
    assert [sql for sql in cursor.statements if sql.startswith("UPDATE attendance")] != []
