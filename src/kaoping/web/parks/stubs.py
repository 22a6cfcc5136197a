"""Placeholder views, replaced part by part while issue 16 is built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def todo(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("not yet built", status=501)
