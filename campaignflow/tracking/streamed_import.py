"""SQLite, a campaign's first import: write the file's rows while a worker thread is still parsing it
(ADR 0021).

Parsing and validating is Python and holds the GIL; SQLite's `sqlite3_step` releases it. The rows go
in as one `INSERT … SELECT … FROM json_each(?)` per block, so the writing thread spends a block's
whole insert outside the GIL while the parser runs on the other core. (`executemany` releases and
retakes the GIL around every row: with a second thread busy the two would hand it over per row.)
The parser thread also adds up the board's totals of the rows (domain.totals), so the table is not
aggregated again afterwards. Nothing here is visible before the caller's transaction commits, and a
bad row anywhere rolls back what was written: all rows or none, as with the other paths.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time

from django.db import connection

from .domain.parsers import ParseResult, parse_file
from .domain.totals import Totals, batch_totals
from .models import MetricRow

STEP = 2_000  # rows between the parser's checks for a block to hand over
BLOCK = 20_000  # rows of the largest block


def available() -> bool:
    """SQLite with the `->>` operator (3.38, 2022); PostgreSQL has its own COPY path."""
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 38, 0)


class DuplicateKeys(Exception):
    """The unique index refused a row: the file repeats a key (the caller parses again to name it)."""


class _Stopped(Exception):
    pass


class ParseAhead:
    """Parses one file in a worker thread into `result`, hands the rows over as JSON blocks as they come
    (`blocks`: (rows so far, JSON text), then None), then adds up their totals. Touches no database."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data
        self.result = ParseResult()
        self.totals: tuple[Totals, Totals] | None = None
        self.blocks: queue.SimpleQueue = queue.SimpleQueue()
        self._sent = 0
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="parse-ahead", daemon=True)

    def __enter__(self) -> ParseAhead:
        self._thread.start()
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        if exc_type is not None:
            self._stop = True  # the writer gave up (e.g. a repeated key): no point in parsing on
        self._thread.join()  # otherwise the parse goes on to the end: every bad row is named

    def _send(self) -> None:
        """The rows parsed since the last block, as one JSON array (built here, off the writing thread)."""
        rows = self.result.rows
        end = len(rows)
        if end > self._sent and not self.result.error_count:  # after a bad row nothing more is written
            self.blocks.put((end, json.dumps(rows[self._sent : end], ensure_ascii=False)))
            self._sent = end

    def _progress(self, _rows: int) -> None:  # every STEP rows
        if self._stop:
            raise _Stopped
        if len(self.result.rows) - self._sent >= min(BLOCK, max(STEP, self._sent)):
            self._send()  # blocks of 2,000, 4,000, … 20,000 rows: the writer starts early, then goes in large steps
        time.sleep(0)  # a writer back from a block takes the GIL now, not after the 5 ms switch interval

    def _run(self) -> None:
        try:
            parse_file(
                self.name, self.data, check_duplicates=False, progress=self._progress, progress_every=STEP,
                into=self.result,
            )  # fmt: skip
            self._send()
            if self.result.ok:
                self.totals = batch_totals(self.result.rows)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the caller's thread by outcome()
            self._error = exc
        finally:
            self.blocks.put(None)

    def outcome(self) -> ParseResult:
        """The whole parse, once the thread has ended; re-raises what the parser raised (FileRefused)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.result


def write(campaign_id: int, batch_id: int, ahead: ParseAhead, progress=None) -> int:
    """Insert the rows block by block as the parser hands them over; the number written. After an
    invalid row nothing more is written (the caller rolls back and names them all); DuplicateKeys when
    the unique index refuses a row."""
    sql = (
        f"INSERT INTO {MetricRow._meta.db_table} (campaign_id, batch_id, date, channel, metric, value) "
        f"SELECT {int(campaign_id)}, {int(batch_id)}, value ->> 0, value ->> 1, value ->> 2, value ->> 3 "
        "FROM json_each(?)"
    )
    raw = connection.connection  # inside the caller's transaction (Django's cursor would wrap each call)
    done = 0
    for done, text in iter(ahead.blocks.get, None):
        try:
            raw.execute(sql, (text,))
        except sqlite3.IntegrityError as exc:
            raise DuplicateKeys from exc
        if progress is not None:
            progress(done)
    return done
