"""The demo's industrial chains (SYNTHETIC): :func:`kaoping.chains.demo_book`'s three chains of
Jiaozuo stored through the workbook service, and its signings recorded and moved on through
the signing services, so that their projects land in the dispatch registry with their
「三个一批」 dates."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kaoping.chains.model import make_book
from kaoping.data import bundled
from kaoping.web.chains import services
from kaoping.web.collection.models import Unit

__all__ = ["fill"]


def _text(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def fill(*, analyst: Any) -> str:
    """Fill the chains app as ``analyst``; the counties the demo book names that the platform
    lacks (the city's districts) are added from the bundled units table.  Returns a line for
    the demo's summary."""
    from kaoping.chains import demo_book

    book = demo_book()
    named = {
        str(c)
        for frame in (book.enterprises, book.targets, book.signings)
        for c in frame["county"]
        if _text(c)
    }
    missing = named - set(Unit.objects.values_list("code", flat=True))
    if missing:
        units = bundled.henan_units()
        english = bundled.henan_names_en()
        for code in sorted(missing):
            Unit.objects.create(code=code, name=units.name(code), name_en=english.get(code, ""))
    services.book_store(
        actor=analyst,
        book=make_book(
            chains=book.chains,
            nodes=book.nodes,
            edges=book.edges,
            enterprises=book.enterprises,
            targets=book.targets,
        ),
    )
    stages = [(stage, field) for stage, field in services.STAGES]
    for _i, row in book.signings.iterrows():
        signing = services.signing_record(
            actor=analyst,
            code=str(row["project"]),
            county=str(row["county"]),
            name=_text(row["name"]),
            investor=_text(row["investor"]),
            amount=str(float(row["amount"])),
            signed_on=pd.Timestamp(row["signed_on"]).date(),
            origin=_text(row["origin"]),
            node=_text(row["node"]),
            park=_text(row["park"]),
            target=_text(row["target"]),
            batch=_text(row["batch"]),
            note=_text(row["note"]),
        )
        for stage, field in stages:
            day = row.get(field)
            if day is None or pd.isna(day):
                break
            services.signing_advance(
                actor=analyst, signing=signing, stage=stage, on=pd.Timestamp(day).date()
            )
    return (
        f"chains: {len(book.chains)} chains, {len(book.nodes)} nodes, "
        f"{len(book.enterprises)} enterprises, {len(book.signings)} signings (SYNTHETIC)"
    )
