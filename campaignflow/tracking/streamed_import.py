"""A campaign's first import: write the file's rows while a worker thread is still parsing it (ADR 0021,
PostgreSQL: ADR 0023).

Parsing and validating is Python and holds the GIL; the database does its part without it, so the two run on the
two cores at once:
- SQLite: one `INSERT … SELECT … FROM json_each(?)` per block, so the writing thread spends a block's whole insert
  in `sqlite3_step`, outside the GIL. (`executemany` releases and retakes the GIL around every row: with a second
  thread busy the two would hand it over per row.)
- PostgreSQL: one COPY for the file, fed a block of COPY text at a time (built in the parser's thread); the server
  process inserts while the parser goes on, and the writer waits for the socket without the GIL.
The parser thread also adds up the board's totals of the rows (domain.totals), so the table is not aggregated again
afterwards. Nothing here is visible before the caller's transaction commits, and a bad row anywhere rolls back what
was written: all rows or none, as with the other paths.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable

from django.db import connection

from .domain.copy_text import Escaped
from .domain.parsers import ParseResult, parse_file
from .domain.totals import Totals, batch_totals
from .models import MetricRow

STEP = 2_000  # rows between the parser's checks for a block to hand over
BLOCK = 20_000  # rows of the largest block


def available() -> bool:
    """PostgreSQL, or SQLite with the `->>` operator (3.38, 2022)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 38, 0)


COLUMNS = "(campaign_id, batch_id, date, channel, metric, value)"


def block_encoder(campaign_id: int, batch_id: int) -> Callable[[list], str | bytes]:
    """How the parser's thread hands a block of rows over to this database's writer: a JSON array for SQLite's
    `json_each`, COPY text lines (with the two ids) for PostgreSQL."""
    if connection.vendor != "postgresql":
        return lambda rows: json.dumps(rows, ensure_ascii=False)
    prefix = f"{int(campaign_id)}\t{int(batch_id)}\t"
    esc = Escaped()
    return lambda rows: "".join(f"{prefix}{d}\t{esc[c]}\t{esc[m]}\t{v}\n" for d, c, m, v in rows).encode()


class DuplicateKeys(Exception):
    """The unique index refused a row: the file repeats a key (the caller parses again to name it)."""


class _Stopped(Exception):
    pass


class ParseAhead:
    """Parses one file in a worker thread into `result`, hands the rows over in blocks as they come (`blocks`:
    (rows so far, the block as `encode` writes it: block_encoder), then None), then adds up their totals. Touches
    no database."""

    def __init__(self, name: str, data: bytes, encode: Callable[[list], str | bytes]):
        self.name, self.data, self.encode = name, data, encode
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
        """The rows parsed since the last block, encoded here, off the writing thread."""
        rows = self.result.rows
        end = len(rows)
        if end > self._sent and not self.result.error_count:  # after a bad row nothing more is written
            self.blocks.put((end, self.encode(rows[self._sent : end])))
            self._sent = end

    def _progress(self, _rows: int) -> None:  # every STEP rows
        if self._stop:
            raise _Stopped
        if len(self.result.rows) - self._sent >= min(BLOCK, max(STEP, self._sent)):
            self._send()  # blocks of 2,000, 4,000, … 20,000 rows: the writer starts early, then goes in large steps
        time.sleep(0)  # a writer back from a block takes the GIL now, not after the 5 ms switch interval

    def _run(self) -> None:
        ended = False
        try:
            parse_file(
                self.name, self.data, check_duplicates=False, progress=self._progress, progress_every=STEP,
                into=self.result,
            )  # fmt: skip
            self._send()
            self.blocks.put(None)  # the writer finishes its last block while the totals are added up
            ended = True
            if self.result.ok:
                self.totals = batch_totals(self.result.rows)
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the caller's thread by outcome()
            self._error = exc
        finally:
            if not ended:
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
    if connection.vendor == "postgresql":
        return _copy(ahead, progress)
    sql = (
        f"INSERT INTO {MetricRow._meta.db_table} {COLUMNS} "
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


def _copy(ahead: ParseAhead, progress) -> int:
    """PostgreSQL: one COPY fed block by block (the blocks carry the campaign and batch ids)."""
    done = 0
    try:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {MetricRow._meta.db_table} {COLUMNS} FROM STDIN") as copy,
        ):
            for done, block in iter(ahead.blocks.get, None):
                copy.write(block)
                if progress is not None:
                    progress(done)
    except connection.Database.IntegrityError as exc:  # the driver's own: a raw cursor's COPY
        raise DuplicateKeys from exc
    return done
