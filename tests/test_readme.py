"""The README's examples run as written (README.md and README.zh-CN.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def blocks(readme: str) -> list[str]:
    return BLOCK.findall((ROOT / readme).read_text(encoding="utf-8"))


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_every_python_block_of_the_readme_runs(
    readme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = blocks(readme)
    assert found, f"{readme} has no python example"
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for code in found:
        exec(compile(code, readme, "exec"), {"__name__": "__readme__"})
    if "to_excel" in "".join(found):
        assert (tmp_path / "results.xlsx").stat().st_size > 0


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_every_image_the_readme_shows_is_in_the_repository(readme: str) -> None:
    text = (ROOT / readme).read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    for image in images:
        assert (ROOT / image).is_file(), f"{readme} shows {image}, which is missing"
