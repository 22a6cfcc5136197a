"""Views imported on their first request: the dispatch's results and registry pages compute
with pandas and the engine, which the platform's management commands (``migrate``, ``check``)
must start without (``tests/test_startup.py``)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.http import HttpRequest, HttpResponse

__all__ = ["view"]


def view(module: str, name: str) -> Callable[..., HttpResponse]:
    """The view ``name`` of ``module``, imported when a request first reaches it."""

    def call(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found: Callable[..., HttpResponse] = getattr(import_module(module), name)
        return found(request, *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__module__ = module
    return call
