"""What every page that hands out or takes back a workbook shares: the xlsx download, and the
first look at an uploaded file (none chosen, empty, too big) before a service reads it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5 * 1024 * 1024
"""The largest workbook a page takes (a county's is a few dozen KB, every county's targets
about 1 MB)."""


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """``content`` as an xlsx download named ``name`` (any characters: 统计局-2024.xlsx)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def refused(upload: Any) -> str | None:
    """Why an uploaded file is not even read (none chosen, empty, larger than
    :data:`MAX_UPLOAD`), in the page's language; None when it may be read."""
    if upload is None:
        return _("Choose a file to upload.")
    if not upload.size:
        name = str(upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
        return _("The file %(name)s is empty (0 bytes): choose the filled-in file.") % {
            "name": name
        }
    if upload.size > MAX_UPLOAD:
        return _("The file is larger than 5 MB.")
    return None
