"""Django's development server (``runserver``), saying when it answers.

``runserver`` prints "Starting development server at …" before it can serve a request; the
demo's user should see one clear line only once the login page really answers.  The server
binds its socket and then calls ``on_bind``; from there a thread asks for the login page (its
request waits in the socket's queue until the server serves it) and prints the line when the
answer is 200.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles.management.commands.runserver import Command as Runserver
from django.core.management import call_command

LOGIN = "accounts/login/"
WAIT = 120.0  # seconds for the first answer (the first request imports the views)


class ReadyRunserver(Runserver):
    """``runserver`` that writes ``ready(url)`` once ``url`` + ``accounts/login/`` answers 200."""

    def __init__(self, ready: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ready = ready

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        host = "0.0.0.0" if self.addr == "0" else self.addr
        if self._raw_ipv6:
            host = f"[{host}]"
        url = f"{self.protocol}://{host}:{server_port}/"
        threading.Thread(target=self._announce, args=(url,), daemon=True).start()

    def _announce(self, url: str) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                with opener.open(url + LOGIN, timeout=10) as response:
                    if response.status == 200:
                        self.stdout.write(self.style.SUCCESS(self.ready(url)))
                        self.stdout.flush()
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stderr.write(f"{url}{LOGIN} did not answer within {WAIT:.0f} s")
        self.stderr.flush()


def serve(addrport: str, ready: Callable[[str], str], **options: Any) -> None:
    """Serve on ``addrport`` (``127.0.0.1:8000``; port 0: any free one) without the reloader,
    writing ``ready(url)`` once the site answers; returns when the server stops (Ctrl-C)."""
    call_command(ReadyRunserver(ready), addrport, use_reloader=False, **options)
