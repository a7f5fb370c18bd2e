"""What a file is, decided from its bytes and never from its name.

`classify(head, zip_names)` looks at the first bytes (and, for a ZIP container, the names inside it) and
answers with the file's kind, its MIME type and whether a browser may show it inline. What it does not
recognise is `None`: the caller refuses it (415). Markup that a browser would run — SVG, HTML, XML with
scripts — is recognised only to be refused by name (`ACTIVE_MARKUP`), never served as a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

IMAGE, PDF, VIDEO, AUDIO, OFFICE, ARCHIVE = "image", "pdf", "video", "audio", "office", "archive"
ACTIVE_MARKUP = "active_markup"
HEAD_BYTES = 4096  # how much of the start `classify` needs


@dataclass(frozen=True)
class FileType:
    kind: str  # image / pdf / video / audio / office / archive
    mime: str
    extension: str
    inline: bool = False  # a raster image or a PDF: shown in the page; anything else is a download


# (prefix, offset) → type; checked in order, first match wins
_SIGNATURES: tuple[tuple[bytes, int, FileType], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, FileType(IMAGE, "image/png", "png", inline=True)),
    (b"\xff\xd8\xff", 0, FileType(IMAGE, "image/jpeg", "jpg", inline=True)),
    (b"GIF87a", 0, FileType(IMAGE, "image/gif", "gif", inline=True)),
    (b"GIF89a", 0, FileType(IMAGE, "image/gif", "gif", inline=True)),
    (b"BM", 0, FileType(IMAGE, "image/bmp", "bmp")),
    (b"II*\x00", 0, FileType(IMAGE, "image/tiff", "tif")),
    (b"MM\x00*", 0, FileType(IMAGE, "image/tiff", "tif")),
    (b"8BPS", 0, FileType(IMAGE, "image/vnd.adobe.photoshop", "psd")),
    (b"%PDF-", 0, FileType(PDF, "application/pdf", "pdf", inline=True)),
    (b"\x1aE\xdf\xa3", 0, FileType(VIDEO, "video/webm", "webm")),
    (b"ID3", 0, FileType(AUDIO, "audio/mpeg", "mp3")),
    (b"fLaC", 0, FileType(AUDIO, "audio/flac", "flac")),
    (b"OggS", 0, FileType(AUDIO, "audio/ogg", "ogg")),
    (b"#!AMR", 0, FileType(AUDIO, "audio/amr", "amr")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, FileType(OFFICE, "application/x-ole-storage", "doc")),
    (b"Rar!\x1a\x07", 0, FileType(ARCHIVE, "application/vnd.rar", "rar")),
    (b"7z\xbc\xaf\x27\x1c", 0, FileType(ARCHIVE, "application/x-7z-compressed", "7z")),
    (b"\x1f\x8b", 0, FileType(ARCHIVE, "application/gzip", "gz")),
    (b"ustar", 257, FileType(ARCHIVE, "application/x-tar", "tar")),
)

_RIFF = {  # RIFF container: the form type at offset 8
    b"WEBP": FileType(IMAGE, "image/webp", "webp", inline=True),
    b"WAVE": FileType(AUDIO, "audio/wav", "wav"),
    b"AVI ": FileType(VIDEO, "video/x-msvideo", "avi"),
}

_FTYP = {  # ISO base media (MP4 family): the major brand at offset 8
    b"M4A ": FileType(AUDIO, "audio/mp4", "m4a"),
    b"M4B ": FileType(AUDIO, "audio/mp4", "m4a"),
    b"qt  ": FileType(VIDEO, "video/quicktime", "mov"),
    b"heic": FileType(IMAGE, "image/heic", "heic"),  # a phone camera's photo: a download, browsers don't show it
    b"heix": FileType(IMAGE, "image/heic", "heic"),
    b"mif1": FileType(IMAGE, "image/heif", "heif"),
    b"avif": FileType(IMAGE, "image/avif", "avif"),
}
_MP4 = FileType(VIDEO, "video/mp4", "mp4")

_OOXML = (  # the part a ZIP holds → the office document it is
    ("word/", FileType(OFFICE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")),
    ("xl/", FileType(OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")),
    ("ppt/", FileType(OFFICE, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")),
)
_ODF = FileType(OFFICE, "application/vnd.oasis.opendocument", "odt")
_ZIP = FileType(ARCHIVE, "application/zip", "zip")
_MARKUP_STARTS = (b"<svg", b"<!doctype html", b"<html", b"<script", b"<?xml", b"<!--", b"<head", b"<body", b"<iframe")


def is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _zip_type(names: Iterable[str] | None) -> FileType:
    names = list(names or ())
    if "[Content_Types].xml" in names:
        for prefix, filetype in _OOXML:
            if any(n.startswith(prefix) for n in names):
                return filetype
    if "mimetype" in names and any(n == "content.xml" for n in names):
        return _ODF
    return _ZIP


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(_MARKUP_STARTS) or b"<svg" in text[:1024] or b"<script" in text[:1024]


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio frame header without an ID3 tag: 11 sync bits, a valid layer and bitrate."""
    return len(head) >= 3 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 and head[2] & 0xF0 != 0xF0


def classify(head: bytes, zip_names: Iterable[str] | None = None) -> FileType | str | None:
    """The type of a file that starts with `head` (its first HEAD_BYTES bytes); `zip_names`: the names in it
    when it is a ZIP. Returns a FileType, ACTIVE_MARKUP (SVG/HTML/XML: refused), or None (not accepted)."""
    for prefix, offset, filetype in _SIGNATURES:
        if head[offset : offset + len(prefix)] == prefix:
            return filetype
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP.get(head[8:12], _MP4)
    if is_zip(head):
        return _zip_type(zip_names)
    if _mp3_frame(head):
        return FileType(AUDIO, "audio/mpeg", "mp3")
    if _looks_like_markup(head):
        return ACTIVE_MARKUP
    return None


def looks_complete(filetype: FileType, head: bytes, tail: bytes, size: int) -> bool:
    """Whether a file of this type has its end (a truncated upload has not): `tail` is its last ~2 KB."""
    end = tail.rstrip(b"\x00\r\n ")
    if filetype.mime == "image/png":
        return b"IEND" in tail
    if filetype.mime == "image/jpeg":
        return end.endswith(b"\xff\xd9")
    if filetype.mime == "image/gif":
        return end.endswith(b";")
    if filetype.kind == PDF:
        return b"%%EOF" in tail
    if head[:4] == b"RIFF":
        return int.from_bytes(head[4:8], "little") + 8 <= size
    return True
