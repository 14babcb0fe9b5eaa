"""Logs as one JSON object a line, for the web processes and the workers alike.

A web process logs a line for every request, from the event loop's thread. Writing it there
would cost a system call a request, and handing each record to a listener thread through a
queue wakes that thread a request; both let go of the interpreter lock in the loop's thread,
which then waits its turn behind the request threads. So records are only appended to a list
there, and a writer thread formats and writes what has gathered a few times a second, in one
write (``BatchedLines``). Nothing is lost at exit: the list is drained then. A record does not
look up its caller, thread or process either (the logging HOWTO's optimisations): a line
names its logger and its process id, which is all it is read by.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
import time
from collections import deque
from datetime import UTC, datetime
from typing import IO, Any

WRITE_EVERY_SECONDS = 0.2


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": os.getpid(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):  # an access line: its fields, one level, no message
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_text:
            line["error"] = record.exc_text
        elif record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class BatchedLines(logging.Handler):
    """Keeps records in memory and writes them from a thread of its own, several at a time."""

    def __init__(self, stream: IO[str], every: float = WRITE_EVERY_SECONDS) -> None:
        super().__init__()
        self.stream = stream
        self.every = every
        self.waiting: deque[logging.LogRecord] = deque()
        self.writing = threading.Lock()
        self.writer = threading.Thread(target=self._write_now_and_then, name="log-writer")
        self.writer.daemon = True
        self.writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:  # written now: the record must not keep the frames alive
            record.exc_text = record.exc_text or logging.Formatter().formatException(
                record.exc_info
            )
            record.exc_info = None
        self.waiting.append(record)  # atomic: no lock taken, no thread woken

    def flush(self) -> None:
        with self.writing:
            lines = []
            while self.waiting:
                record = self.waiting.popleft()
                try:
                    lines.append(self.format(record) + "\n")
                except Exception:  # a record that cannot be formatted is reported, not fatal
                    self.handleError(record)
            if lines:
                try:
                    self.stream.write("".join(lines))
                    self.stream.flush()
                except (OSError, ValueError):  # standard error closed: nowhere left to write
                    pass

    def close(self) -> None:
        # Writing goes on: ``logging.config.dictConfig`` (Litestar's, uvicorn's) closes every
        # handler it finds, even one that stays on the root logger.
        self.flush()
        super().close()

    def _write_now_and_then(self) -> None:
        while True:
            time.sleep(self.every)
            self.flush()


def json_logging(level: int = logging.INFO) -> None:
    """The process's root logger writes JSON lines to standard error."""
    logging._srcfile = None  # no caller looked up for each record
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = BatchedLines(sys.stderr)
    handler.setFormatter(JsonLines())
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = [handler]
    root.setLevel(level)
    atexit.register(handler.flush)  # logging's own shutdown forgets it after a ``dictConfig``
