"""Hostile XLSX files are refused before their XML is parsed (the files are bench/bench_uploads.py's)."""

import io
import os
import zipfile

import pytest

from bench.bench_uploads import SHEET, _workbook_parts, _xlsx, bombs
from campaignflow.tracking.domain.parsers import XLSX_MAX_PROLOG, FileRefused, parse_file


@pytest.mark.parametrize("bomb", bombs(ratio_mb=20), ids=lambda b: b["key"])
def test_hostile_xlsx_refused(bomb):
    with pytest.raises(FileRefused, match=bomb["expect"] or "."):
        parse_file("upload.xlsx", bomb["data"])


def _with_prolog(prolog: bytes) -> bytes:
    parts = _workbook_parts()
    parts[SHEET] = b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + parts[SHEET].split(b"?>", 1)[-1]
    return _xlsx(parts)


def test_a_padded_prolog_is_read_to_its_end():
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "b">]>'
    for padding in (b" " * 100_000, b"<!--" + b"x" * 100_000 + b"-->", b"<?pi " + b"y" * 100_000 + b"?>"):
        with pytest.raises(FileRefused, match="DOCTYPE"):
            parse_file("padded.xlsx", _with_prolog(padding + doctype))
    endless = b"<!--" + os.urandom(XLSX_MAX_PROLOG // 2 + 1).hex().encode() + b"-->"  # not a zip bomb: hex
    with pytest.raises(FileRefused, match="DOCTYPE"):
        parse_file("padded.xlsx", _with_prolog(endless))  # a prolog over the limit counts as a declaration


def test_legitimate_prologs_still_parse():
    for prolog in (b"", b"\n<!-- made by hand <row> -->\n", b'<?mso-application progid="Excel.Sheet"?>'):
        result = parse_file("ok.xlsx", _with_prolog(prolog))
        assert result.ok and len(result.rows) == 1, (prolog, result.errors)
    assert zipfile.ZipFile(io.BytesIO(_with_prolog(b""))).testzip() is None
