"""Methodology files that are no methodology: nested too deep, only a null, a value that cannot
be read, a file that is a pipe, a folder or too large, and a ``base:`` that names anything but
a bundled methodology or a file beside this one.  Each gives a located problem, never a
traceback, a hang or a read of a server file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaoping.errors import InputError, Problem
from kaoping.methodology import check, check_text, load, loader, loads

GOOD = """\
id: m
name: 办法
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: gdp, name: 地区生产总值, direction: positive}
"""


def only(problems: list[Problem]) -> tuple[str, str | None]:
    assert len(problems) == 1, problems
    return problems[0].code, problems[0].where


@pytest.mark.parametrize(
    "text",
    [
        "id: x\nz: " + "[" * 1200 + "]" * 1200 + "\n",  # deeper than libyaml allows
        "id: x\nz: " + "[" * 500 + "]" * 500 + "\n",  # deeper than our walk allows
        "id: x\nz: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "id: x\nz:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(1100)) + "  v\n",
    ],
)
def test_nesting_deeper_than_any_methodology_is_refused(text: str) -> None:
    code, where = only(check_text(text, "deep.yaml"))
    assert code == "methodology.too_deep"
    assert where is not None
    assert where.startswith("deep.yaml:")


@pytest.mark.parametrize("text", ["~\n", "null\n", "# nothing\n", ""])
def test_a_document_that_is_only_a_null_is_empty(text: str) -> None:
    assert only(check_text(text, "m.yaml")) == ("methodology.empty", "m.yaml:1")


@pytest.mark.parametrize(
    ("line", "words"),
    [("year: " + "9" * 5000, "9999"), ("version: 2024-02-30", "2024-02-30")],
)
def test_a_value_yaml_cannot_build_is_a_problem_at_its_line(line: str, words: str) -> None:
    code, where = only(check_text(GOOD + line + "\n", "m.yaml"))
    assert (code, where) == ("methodology.invalid_value", "m.yaml:8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_methodology_that_is_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "m.yaml")
    code, _ = only(check(tmp_path / "m.yaml"))
    assert code == "methodology.unreadable"


def test_a_methodology_that_is_a_folder_or_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dir.yaml").mkdir()
    assert only(check(tmp_path / "dir.yaml"))[0] == "methodology.unreadable"
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    (tmp_path / "big.yaml").write_text(GOOD, encoding="utf-8")
    assert only(check(tmp_path / "big.yaml"))[0] == "methodology.too_large"


# -- base -----------------------------------------------------------------------------------


def child(folder: Path, base: str) -> Path:
    path = folder / "child.yaml"
    path.write_text(f"id: c\nname: 子办法\nbase: {base}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "base", ["../other.yaml", "sub/other.yaml", "/etc/passwd", "..", "C:x.yaml"]
)
def test_base_may_not_name_a_file_elsewhere(tmp_path: Path, base: str) -> None:
    folder = tmp_path / "here"
    (folder / "sub").mkdir(parents=True)
    for place in (tmp_path / "other.yaml", folder / "sub" / "other.yaml"):
        place.write_text(GOOD, encoding="utf-8")  # it exists: still refused
    code, where = only(check(child(folder, base)))
    assert (code, where) == ("methodology.base_not_allowed", f"{folder / 'child.yaml'}:3")


def test_base_beside_and_bundled_still_work(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    assert [i.id for i in load(child(tmp_path, "b.yaml")).indicators] == ["gdp"]
    assert len(load(child(tmp_path, "county_hqd")).indicators) > 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_base_that_is_a_pipe_a_folder_or_too_large_is_refused_at_the_base_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "big.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    where = f"{tmp_path / 'child.yaml'}:3"
    assert only(check(child(tmp_path, "pipe.yaml"))) == ("methodology.unreadable", where)
    assert only(check(child(tmp_path, "dir.yaml"))) == ("methodology.unreadable", where)
    assert only(check(child(tmp_path, "big.yaml"))) == ("methodology.too_large", where)


def test_a_long_base_chain_is_refused(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"b{i}.yaml").write_text(
            f"id: b{i}\nname: b{i}\nbase: b{i + 1}.yaml\n", encoding="utf-8"
        )
    (tmp_path / "b12.yaml").write_text(GOOD, encoding="utf-8")
    assert only(check(child(tmp_path, "b0.yaml")))[0] == "methodology.base_cycle"


def test_text_may_take_only_a_bundled_methodology_as_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uploaded methodology is read with loads(): a base that is a path would read a file
    of the server (relative to its working directory) and echo its values in the problems."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: s\nname: s\nweighting: TOPSECRET\ndimensions: 7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for base in ("secret.yaml", str(secret), "/dev/zero"):
        with pytest.raises(InputError) as error:
            loads(f"id: c\nname: c\nbase: {base}\n", "upload.yaml")
        assert [(p.code, p.where) for p in error.value.problems] == [
            ("methodology.base_not_allowed", "upload.yaml:3")
        ]
        assert "TOPSECRET" not in str(error.value)
    m = loads("id: c\nname: c\nbase: county_hqd_entropy_topsis\n", "upload.yaml")
    assert m.aggregation.method == "topsis"


def test_a_bundled_base_is_named_by_its_name_not_the_server_path() -> None:
    """weighting: ahp needs a matrix on every node of the inherited tree: the problems are at
    the lines of the bundled file, named county_hqd.yaml, not by its path on the server."""
    problems = check_text("id: c\nname: c\nbase: county_hqd\nweighting: ahp\n", "upload.yaml")
    assert problems
    assert {(p.where or "").split(":")[0] for p in problems} == {"county_hqd.yaml"}
