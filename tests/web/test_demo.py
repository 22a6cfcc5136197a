"""``python -m kaoping.web demo --serve``, as ``make demo`` runs it: the demo database filled,
then one line with the URL and the accounts once the login page answers, and the page it names
is served with the demo's accounts.

It runs in a child process on a throw-away SQLite file (the suite's own process runs with the
test settings), on a free port (``127.0.0.1:0``)."""

from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

READY = re.compile(r"the demo platform is ready: (http://127\.0\.0\.1:\d+/) ")
WAIT = 600.0  # the fill takes ~25 s alone; this machine is shared


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


def _use_the_demo(server: subprocess.Popen[str], lines: queue.Queue[str], seen: list[str]) -> None:
    """Wait for the ready line, then open the login page it names and log in as the analyst."""
    deadline = time.monotonic() + WAIT
    url = None
    while url is None and time.monotonic() < deadline and server.poll() is None:
        try:
            seen.append(lines.get(timeout=1))
        except queue.Empty:
            continue
        found = READY.search(seen[-1])
        url = found.group(1) if found else None
    assert url is not None, "".join(seen)
    ready = seen[-1]
    assert "2024: 102 counties collected, ranking published" in "".join(seen)
    assert "2024-KH: official assessment (考核评价) published" in "".join(seen)
    assert ready.startswith("演示平台已就绪")  # Chinese first, then English
    assert "admin, analyst, viewer, county-<code>" in ready
    assert "password: demo" in ready
    assert "dept-stat, dept-eco" in ready  # the two departments' accounts
    assert "owner-demo" in ready  # the project owner's account (重点项目)
    assert "key projects: " in "".join(seen)
    # the line came after the server answered, and the accounts it names log in
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    with opener.open(url + "accounts/login/", timeout=30) as page:
        assert page.status == 200
        assert "登录" in page.read().decode()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": "analyst", "password": "demo", "csrfmiddlewaretoken": token}
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url + "accounts/login/", data=data)
    request.add_header("Referer", url + "accounts/login/")
    with opener.open(request, timeout=30) as landing:
        assert landing.status == 200
        assert "/accounts/login/" not in landing.url  # logged in: redirected onwards
    # the official period (考核评价): published with its awards, a veto and items with evidence
    with opener.open(url + "results/2024-KH/awards/", timeout=60) as awards:
        text = awards.read().decode()
        assert "高质量发展先进县（市）" in text
        assert "进位显著县（市）" in text
        assert "410184" in text  # 新郑市, vetoed on evidence: named among those excluded
    with opener.open(url + "official/2024-KH/items/", timeout=60) as items:
        assert "示例应急〔2024〕7号" in items.read().decode()


def test_the_demo_says_it_is_ready_once_its_login_page_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    env |= {"KAOPING_DEBUG": "1", "KAOPING_SQLITE_PATH": str(tmp_path / "demo.sqlite3")}
    env["PYTHONUNBUFFERED"] = "1"
    with subprocess.Popen(
        [sys.executable, "-m", "kaoping.web", "demo", "--serve", "127.0.0.1:0"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    ) as server:  # fmt: skip
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_lines, args=(server.stdout, lines), daemon=True)
        reader.start()
        seen: list[str] = []
        try:
            _use_the_demo(server, lines, seen)
        finally:
            server.send_signal(signal.SIGINT)  # Ctrl-C, as the line says
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            reader.join(timeout=30)  # the pipe at its end: closed after the reader is done
    assert server.returncode == 0, "".join(seen)
