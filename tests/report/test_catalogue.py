"""The report engine's catalogue: every template translated, the .mo compiled from the .po."""

from __future__ import annotations

import re
import string

import polib

from kaoping.report.briefing import DOMAIN, LOCALEDIR, TEMPLATES

PO = LOCALEDIR / "zh_Hans" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def fields(pattern: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(pattern) if f}


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.obsolete_entries() == []
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_the_catalogue_has_exactly_the_templates() -> None:
    po = polib.pofile(str(PO))
    have = {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in po}
    want = {(t.context, t.msgid, t.plural) for t in TEMPLATES.values()}
    assert have == want


def test_translations_use_the_placeholders_of_their_msgid() -> None:
    for entry in polib.pofile(str(PO)):
        for translated in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            # a translation may leave out the count ("全部") but never invent a placeholder
            assert fields(translated) <= fields(entry.msgid) | fields(entry.msgid_plural) | {
                "count"
            }, entry.msgid
            assert not re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", translated)), translated


def test_the_mo_matches_the_po() -> None:
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(MO))

    def entries(cat: polib.POFile | polib.MOFile) -> dict[tuple[str | None, str], object]:
        return {
            (e.msgctxt, e.msgid): (e.msgstr_plural if e.msgid_plural else e.msgstr)
            for e in cat
            if e.msgid
        }

    def plain(found: dict[tuple[str | None, str], object]) -> dict[tuple[str | None, str], object]:
        return {
            k: ({int(i): s for i, s in v.items()} if isinstance(v, dict) else v)
            for k, v in found.items()
        }

    assert plain(entries(mo)) == plain(entries(po))
