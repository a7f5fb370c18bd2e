"""Large file uploads: hashed and counted while they stream to disk, stopped past their limit.

The upload size middleware installs `DigestingUploadHandler` in front of Django's handlers for the
routes that take large files (material revisions). It passes every chunk on unchanged (Django's
temporary-file handler still writes it to disk) and records, per form field, the SHA-256 and the size,
so the service never reads a 200 MB file a second time to address it by its content.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

_LARGE_FILE_ROUTES = re.compile(r"^(/api/v1/materials/\d+/files|/campaigns/\d+/materials/\d+/files/)$")


def is_large_file_upload(path: str) -> bool:
    return bool(_LARGE_FILE_ROUTES.match(path))


@dataclass(frozen=True)
class Digest:
    sha256: str
    size: int


class DigestingUploadHandler(FileUploadHandler):
    """Hashes and counts each file's bytes; past `limit` bytes it stops the upload and marks the request."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self._sha = None
        self._size = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self._sha, self._size = hashlib.sha256(), 0

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        self._sha.update(raw_data)
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        self.request.upload_digests[self.field_name] = Digest(self._sha.hexdigest(), self._size)
        return None  # the next handler's file object is the one the view gets


def install_digesting_handler(request, limit: int) -> None:
    request.upload_digests = {}
    request.upload_too_large = False
    request.upload_handlers.insert(0, DigestingUploadHandler(request, limit))


def digest_of(request, field: str) -> Digest | None:
    return getattr(request, "upload_digests", {}).get(field)
