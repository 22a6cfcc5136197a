"""The Chinese catalogue is complete: every string of the platform's code and templates is in
it, translated (nothing fuzzy), and the compiled .mo that Django reads says the same; and it
does not change what Django's own pages say (our catalogue comes first for every app)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

import kaoping.web

WEB = Path(kaoping.web.__file__).parent
PO = WEB / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.percent_translated() == 100


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    po = polib.pofile(str(PO))
    with open(PO.with_suffix(".mo"), "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in po.translated_entries():
        if entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        elif entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[0]
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_the_catalogue_has_every_string_of_the_code(tmp_path: Path) -> None:
    # makemessages (GNU xgettext) over a copy of the package: the strings it finds must all be
    # in the committed catalogue -- a new _("...") without a translation fails here
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").unlink()
    env = {**os.environ, "KAOPING_SECRET_KEY": "x", "PYTHONPATH": str(WEB.parent.parent)}
    subprocess.run(
        [sys.executable, "-m", "kaoping.web", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    found = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    have = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(found - have) == []


# ours on purpose where Django's admin says it otherwise: the same word across the platform
OURS_OVER_DJANGOS = {"Filter": "筛选", "Log out": "退出"}


def test_no_string_of_ours_changes_a_django_page() -> None:
    # LOCALE_PATHS outranks the apps' catalogues: an entry "Change" -> 名次变化 once turned the
    # admin's every "修改" link into "名次变化"; a word with another sense takes a context
    import django

    site = Path(django.__file__).parents[1]
    theirs: dict[str, set[str]] = {}
    for catalogue in site.glob("*/**/locale/zh_Hans/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(catalogue)):
            if entry.msgstr and not entry.msgctxt:
                theirs.setdefault(entry.msgid, set()).add(entry.msgstr)
    assert "Change" in theirs  # the catalogues were found
    clashes = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(PO))
        if not e.msgctxt and e.msgid in theirs and e.msgstr not in theirs[e.msgid]
    }
    assert clashes == OURS_OVER_DJANGOS
