"""The methodologies (考核办法) a period can be collected and assessed by: the ones bundled with
kaoping and the ones the city office uploaded (:class:`StoredMethodology`), both by key.

Only these keys resolve: a period never names a file on the server.  An uploaded methodology
is checked by the engine when added (every problem with its line, nothing stored) and is never
changed afterwards, so parsing it can be cached by its text.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.models import AuditEvent, StoredMethodology, Value

# kaoping.methodology (pydantic) is imported where it is used: management commands start
# without it.
if TYPE_CHECKING:
    from kaoping.methodology import Methodology

KEY = re.compile(r"[a-z][a-z0-9_-]{1,63}")
"""An uploaded methodology's key: lower-case letters, digits, - and _ (``jiaozuo_2025``)."""


@functools.cache
def _bundled(key: str) -> Methodology:
    from kaoping.methodology import bundled, load

    return load(bundled()[key])  # by its path: load(key) would prefer a file of that name here


@functools.cache
def _parsed(text: str, key: str) -> Methodology:
    from kaoping.methodology import loads

    return loads(text, source=f"{key}.yaml")  # the text never changes: the cache cannot go stale


def _unknown(key: str) -> InputError:
    return InputError(
        [
            Problem(
                "web.unknown_methodology",
                f"没有考核办法“{key}”：请从内置或已上传的考核办法中选择一个。",
                f"there is no methodology {key!r}: choose a bundled or an uploaded one.",
                "methodology",
            )
        ]
    )


def methodology_of(key: str) -> Methodology:
    """The methodology with this key: an uploaded one, else a bundled one; InputError when
    there is neither (a file path is not a key)."""
    from kaoping.methodology import bundled

    stored = StoredMethodology.objects.filter(key=key).values_list("text", flat=True).first()
    if stored is not None:
        return _parsed(stored, key)
    if key in bundled():
        return _bundled(key)
    raise _unknown(key)


def available() -> dict[str, Methodology]:
    """Key -> methodology, for every one a period may use: bundled first, then uploaded."""
    from kaoping.methodology import bundled

    found = {key: _bundled(key) for key in bundled()}
    for key, text in StoredMethodology.objects.values_list("key", "text"):
        found[key] = _parsed(text, key)
    return found


def _exists(key: str) -> Problem:
    return Problem(
        "web.methodology_exists",
        f"已有考核办法“{key}”：新版本请换一个代码（已有的考核办法不会被改动）。",
        f"there is already a methodology {key!r}: give a new version another key "
        "(a methodology is never changed once added).",
        "key",
    )


def _too_long(methodology: Methodology, source: str) -> list[Problem]:
    """Texts longer than the columns that will hold them: the name (StoredMethodology.name)
    and the indicator ids (Value.indicator, one row per figure)."""
    problems = []
    most = StoredMethodology._meta.get_field("name").max_length
    assert most is not None
    if len(methodology.name) > most:
        problems.append(
            Problem(
                "web.methodology_name_too_long",
                f"考核办法的名称有 {len(methodology.name)} 个字符，最多 {most} 个：请缩短 name。",
                f"the methodology's name has {len(methodology.name)} characters, at most {most} "
                "fit: shorten name.",
                f"{source}: name",
            )
        )
    most = Value._meta.get_field("indicator").max_length
    assert most is not None
    for indicator in methodology.indicators:
        if len(indicator.id) > most:
            problems.append(
                Problem(
                    "web.indicator_id_too_long",
                    f"指标代码“{indicator.id}”有 {len(indicator.id)} 个字符，最多 {most} 个："
                    "请缩短它的 id。",
                    f"the indicator id {indicator.id!r} has {len(indicator.id)} characters, at "
                    f"most {most} fit: shorten its id.",
                    f"{source}: indicators",
                )
            )
    return problems


def methodology_add(*, actor: Any, key: str, text: str) -> StoredMethodology:
    """Store an uploaded methodology under a new key, once the engine has read it without a
    problem; every problem (of the key, or of the text, by line) is raised together."""
    from kaoping.methodology import bundled, loads

    access.require_reviewer(actor)
    key = key.strip()
    problems: list[Problem] = []
    if not KEY.fullmatch(key):
        problems.append(
            Problem(
                "web.methodology_key_malformed",
                f"代码“{key}”不合格式：请用 2–64 个小写字母、数字、- 或 _，"
                "以字母开头，如 jiaozuo_2025。",
                f"the key {key!r} is malformed: use 2-64 lower-case letters, digits, - or _, "
                "starting with a letter, such as jiaozuo_2025.",
                "key",
            )
        )
    elif key in bundled() or StoredMethodology.objects.filter(key=key).exists():
        problems.append(_exists(key))
    methodology = None
    try:
        methodology = loads(text, source=f"{key or 'upload'}.yaml")
    except InputError as error:
        problems.extend(error)
    else:
        problems.extend(_too_long(methodology, f"{key or 'upload'}.yaml"))
    if problems:
        raise InputError(problems)
    assert methodology is not None
    try:
        with transaction.atomic():
            stored = StoredMethodology.objects.create(
                key=key, name=methodology.name, text=text, uploaded_by=actor
            )
            AuditEvent.record(
                AuditEvent.Action.METHODOLOGY_ADD,
                actor,
                key=key,
                name=methodology.name,
                indicators=len(methodology.indicators),
            )
    except IntegrityError:  # someone added the same key since the check above
        raise InputError([_exists(key)]) from None
    return stored
