"""``python -m kaoping.web demo``: the demo platform, filled through the same services a person
would use.

Loads Henan's 102 ranked counties (units, their English names and categories), periods 2020-2024
of the default methodology with the bundled **synthetic** demo figures (each county's figures
saved, submitted and approved), accounts ``admin``, ``analyst``, ``viewer`` and
``county-<code>`` (password ``demo``, printed), computes, announces and publishes each year's
assessment, and opens 2025 for collection (empty, last year's figures beside each field, due in
30 days). Refuses a database that already holds units: the demo starts from an empty one.  ``--serve
127.0.0.1:8000`` then serves it (Django's development server) and prints one line with the URL
and the accounts once the login page answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kaoping.data import bundled
from kaoping.errors import InputError
from kaoping.methodology import load
from kaoping.web.collection import services as collection
from kaoping.web.collection.models import BlankReason, Membership, Period, Role, Unit
from kaoping.web.devserver import serve
from kaoping.web.results import services as results

METHODOLOGY = "county_hqd"
PASSWORD = "demo"
NOTE = "演示数据：合成数值 / demo data: synthetic"


def _ready(url: str, *, example: str) -> str:
    return (
        f"演示平台已就绪 / the demo platform is ready: {url} — 账号 accounts: admin, analyst, "
        f"viewer, county-<code>（如 e.g. {example}），密码 password: {PASSWORD}；"
        "Ctrl-C 停止 / to stop"
    )


class Command(BaseCommand):
    help = "Fill an empty database with the demo: counties, figures, accounts, rankings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--serve",
            metavar="ADDRPORT",
            help="then serve the demo on ADDRPORT (e.g. 127.0.0.1:8000) until Ctrl-C",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0)
        if Unit.objects.exists():
            raise CommandError(
                "the database already holds units; the demo starts from an empty one: "
                "delete the SQLite file or set KAOPING_SQLITE_PATH to a new one."
            )
        methodology = load(METHODOLOGY)
        units = bundled.henan_units()
        codes = bundled.ranked_counties(units)
        panel = bundled.demo_panel(methodology.name_to_id(), units)
        frame = units.frame
        english = bundled.henan_names_en()
        with transaction.atomic():
            for code in codes:
                category = frame.at[code, "category"]
                Unit.objects.create(
                    code=code,
                    name=units.name(code),
                    name_en=english.get(code, ""),
                    category=str(category),
                )
        accounts = self._accounts(codes)
        analyst, periods = accounts["analyst"], []
        previous = None
        for label in panel.periods:
            period = Period.objects.create(
                code=label, methodology=METHODOLOGY, status=Period.Status.OPEN, previous=previous
            )
            periods.append(period)
            self._collect(period, panel, codes, accounts, analyst)
            self._publish(period, analyst)
            collection.period_close(actor=analyst, period=period)
            previous = period
            self.stdout.write(f"{label}: {len(codes)} counties collected, ranking published")
        Period.objects.create(
            code=str(int(periods[-1].code) + 1),
            methodology=METHODOLOGY,
            status=Period.Status.OPEN,
            previous=periods[-1],
            deadline=dt.date.today() + dt.timedelta(days=30),
        )
        self.stdout.write(
            "demo accounts (password 'demo'): admin, analyst, viewer, county-<code> "
            f"(e.g. county-{codes[0]}); synthetic data, not real statistics"
        )
        if options["serve"]:
            serve(options["serve"], functools.partial(_ready, example=f"county-{codes[0]}"))

    def _accounts(self, codes: list[str]) -> dict[str, Any]:
        user_model = get_user_model()
        encoded = make_password(PASSWORD)  # one hash for all: 105 slow hashes would take a minute
        accounts = {}
        for name, role in (("admin", Role.ADMIN), ("analyst", Role.ANALYST),
                           ("viewer", Role.VIEWER)):  # fmt: skip
            user = user_model(username=name, password=encoded)
            user.is_staff = user.is_superuser = name == "admin"
            user.save()
            Membership.objects.create(user=user, role=role)
            accounts[name] = user
        for code in codes:
            user = user_model.objects.create(username=f"county-{code}", password=encoded)
            Membership.objects.create(user=user, role=Role.COUNTY, unit=Unit.objects.get(code=code))
            accounts[code] = user
        return accounts

    def _collect(
        self, period: Period, panel: Any, codes: list[str], accounts: dict[str, Any], analyst: Any
    ) -> None:
        ids = list(collection.indicators_of(METHODOLOGY))
        matrix = panel.matrix(period.code, ids, codes)
        for code in codes:
            county = accounts[code]
            unit = Unit.objects.get(code=code)
            submission = collection.submission_get_or_start(actor=county, unit=unit, period=period)
            values = {i: ("" if math.isnan(v) else v) for i, v in matrix.loc[code].items()}
            # the demo data's gaps are figures "not known" (the methodology imputes them)
            reasons = {i: BlankReason.UNKNOWN for i, v in values.items() if v == ""}
            try:
                submission = collection.submission_save(
                    actor=county, submission=submission, values=values, reasons=reasons, version=0
                )
            except InputError as error:  # unusual figures of synthetic data: say so
                notes = {str(p.where): NOTE for p in error if p.code.startswith("plausibility.")}
                submission = collection.submission_save(
                    actor=county,
                    submission=submission,
                    values=values,
                    notes=notes,
                    reasons=reasons,
                    version=0,
                )
            collection.submission_submit(actor=county, submission=submission)
            collection.submission_approve(actor=analyst, submission=submission)

    def _publish(self, period: Period, analyst: Any) -> None:
        assessment = results.assessment_compute(actor=analyst, period=period)
        results.assessment_announce(actor=analyst, assessment=assessment, days=1)
        # the demo's announcement window is already over
        assessment.objections_until = dt.date.today() - dt.timedelta(days=1)
        assessment.save(update_fields=["objections_until"])
        results.assessment_publish(actor=analyst, assessment=assessment)
