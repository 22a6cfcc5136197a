"""``python -m kaoping.web demo``: the demo platform, filled through the same services a person
would use.

Loads Henan's 102 ranked counties (units, their English names and categories), periods 2020-2024
of the default methodology with the bundled **synthetic** demo figures (each county's figures
saved, submitted and approved), accounts ``admin``, ``analyst``, ``viewer`` and
``county-<code>`` (password ``demo``, printed), computes, announces and publishes each year's
assessment, and opens 2025 for collection (empty, last year's figures beside each field, due in
30 days).

The government's 考核 beside it: periods ``2023-KH`` and ``2024-KH`` under the bundled official
example (``county_hqd_official``), each with the bundled (synthetic) targets issued from the
targets workbook, the figures of two departments (``dept-stat`` = 统计局, ``dept-eco`` =
生态环境局) submitted as their sheets and approved, the counties' own figures, a few bonus and
penalty items with a (synthetic) evidence PDF approved, one veto, and the ranking published
with its awards; 2024-KH's 进位 is read from 2023-KH.  Key projects (重点项目月调度) of Jiaozuo's
counties from :mod:`kaoping.web.projects.demo`: a synthetic registry, twelve months of reports,
issues and a project-owner account ``owner-demo``.  The on-site observation (观摩评比) of
:mod:`kaoping.web.parks.obs_demo`: four quarterly events of Jiaozuo's counties scored by nine
judge accounts ``judge-1`` … ``judge-9``, a 回头看 and the year's composite; and the parks of
:mod:`kaoping.web.parks.park_demo`: a synthetic province league of 184 parks, 2018-2024, rated
with star levels and published; the industrial chains of :mod:`kaoping.web.chains.demo`:
three synthetic chains of Jiaozuo and their signings, advanced through their stages.  Refuses
a database that already holds units: the demo starts from an empty one.  ``--serve
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
from kaoping.web.chains import demo as chains_demo
from kaoping.web.collection import services as collection
from kaoping.web.collection.models import BlankReason, Membership, Period, Role, Unit
from kaoping.web.devserver import serve
from kaoping.web.parks import obs_demo, park_demo
from kaoping.web.projects import demo as projects_demo
from kaoping.web.results import services as results

METHODOLOGY = "county_hqd"
PASSWORD = "demo"
NOTE = "演示数据：合成数值 / demo data: synthetic"


def _ready(url: str, *, example: str) -> str:
    return (
        f"演示平台已就绪 / the demo platform is ready: {url} — 账号 accounts: admin, analyst, "
        f"viewer, county-<code>（如 e.g. {example}）, dept-stat, dept-eco, owner-demo, "
        "judge-1…judge-9，"
        f"密码 password: {PASSWORD}；"
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
        self._official(accounts, codes)
        encoded = make_password(PASSWORD)
        self.stdout.write(projects_demo.fill(analyst=analyst, password=encoded))
        self.stdout.write(obs_demo.fill(analyst=analyst, password=encoded))
        self.stdout.write(park_demo.fill(analyst=analyst))
        self.stdout.write(chains_demo.fill(analyst=analyst))
        Period.objects.create(
            code=str(int(periods[-1].code) + 1),
            methodology=METHODOLOGY,
            status=Period.Status.OPEN,
            previous=periods[-1],
            deadline=dt.date.today() + dt.timedelta(days=30),
        )
        self.stdout.write(
            "demo accounts (password 'demo'): admin, analyst, viewer, county-<code> "
            f"(e.g. county-{codes[0]}), dept-stat (统计局), dept-eco (生态环境局), "
            "owner-demo (业主单位), judge-1…judge-9 (观摩评委); synthetic data, not real "
            "statistics"
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
        self, period: Period, panel: Any, codes: list[str], accounts: dict[str, Any], analyst: Any,
        *, year: str | None = None, ids: list[str] | None = None,
    ) -> None:  # fmt: skip
        """Each county's figures of ``year`` (default: the period's) saved, submitted and
        approved; ``ids``: the indicators the county gives (default: every one)."""
        ids = list(collection.indicators_of(period.methodology)) if ids is None else ids
        matrix = panel.matrix(year or period.code, ids, codes)
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

    # --- the government's 考核 (official path) ------------------------------------------------

    def _official(self, accounts: dict[str, Any], codes: list[str]) -> None:
        """Two published official periods, filled through the services (see the docstring)."""
        from kaoping.web.official.models import Department

        methodology = load(OFFICIAL)
        analyst = accounts["analyst"]
        user_model = get_user_model()
        encoded = user_model.objects.get(username="analyst").password
        for name, department, rules in DEPARTMENTS:
            Department.objects.create(name=department, rules=rules)
            user = user_model.objects.create(username=name, password=encoded)
            Membership.objects.create(user=user, role=Role.DEPARTMENT, department=department)
            accounts[name] = user
        panel = bundled.demo_panel(methodology.name_to_id(), bundled.henan_units())
        targets = _targets_panel(methodology)
        previous = None
        for year in ("2023", "2024"):
            period = Period.objects.create(
                code=f"{year}-KH", methodology=OFFICIAL, status=Period.Status.OPEN,
                previous=previous,
            )  # fmt: skip
            self._issue_targets(period, year, targets, codes, analyst)
            self._departments(period, year, panel, codes, accounts, analyst)
            self._counties_official(period, year, panel, codes, accounts, analyst)
            self._items(period, year, codes, accounts, analyst)
            self._publish(period, analyst)
            collection.period_close(actor=analyst, period=period)
            previous = period
            self.stdout.write(f"{period.code}: official assessment (考核评价) published")

    def _issue_targets(
        self, period: Period, year: str, targets: Any, codes: list[str], analyst: Any
    ) -> None:
        """The bundled targets written into the office's targets workbook and uploaded."""
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from openpyxl import load_workbook

        from kaoping.web.official import targets as issuing

        book = load_workbook(io.BytesIO(issuing.targets_workbook(actor=analyst, period=period)))
        sheet = book[issuing.SHEET]
        methodology = load(OFFICIAL)
        header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value in ("代码", "code"))
        columns = {
            ind: col
            for col in range(1, sheet.max_column + 1)
            for ind in issuing.target_indicators(methodology)
            if sheet.cell(header_row, col).value
            == issuing.header(methodology.indicator(ind), issuing.TARGET)
        }
        matrix = targets.matrix(year, list(columns), codes)
        for row in range(header_row + 1, sheet.max_row + 1):
            code = str(sheet.cell(row, 1).value)
            if code not in matrix.index:
                continue
            for ind, col in columns.items():
                value = matrix.at[code, ind]
                sheet.cell(row, col, None if math.isnan(value) else float(value))
        out = io.BytesIO()
        book.save(out)
        issuing.targets_upload(
            actor=analyst, period=period, file=SimpleUploadedFile("目标值.xlsx", out.getvalue())
        )

    def _departments(
        self, period: Period, year: str, panel: Any, codes: list[str], accounts: dict[str, Any],
        analyst: Any,
    ) -> None:  # fmt: skip
        """Each department's sheet (counties x its indicators) saved, submitted, approved."""
        from kaoping.web.official import sheets

        for name, _department, _rules in DEPARTMENTS:
            actor = accounts[name]
            sheet = sheets.sheet_get_or_start(actor=actor, period=period)
            ids = sheets.indicators_for(period, sheet.department)
            matrix = panel.matrix(year, ids, codes)
            # a department supplies every county's figure: the demo data's gaps are filled
            # with the county's latest earlier figure, else the year's median (synthetic)
            for earlier in sorted((p for p in panel.periods if p < year), reverse=True):
                matrix = matrix.fillna(panel.matrix(earlier, ids, codes))
            matrix = matrix.fillna(matrix.median())
            values = {
                (code, ind): round(float(v), 4) for code in codes
                for ind, v in matrix.loc[code].items()
            }  # fmt: skip
            sheet = sheets.sheet_save(actor=actor, sheet=sheet, values=values, version=0)
            sheet = sheets.sheet_submit(actor=actor, sheet=sheet)
            sheets.sheet_approve(actor=analyst, sheet=sheet)

    def _counties_official(
        self, period: Period, year: str, panel: Any, codes: list[str], accounts: dict[str, Any],
        analyst: Any,
    ) -> None:  # fmt: skip
        from kaoping.web.official import sheets

        given = sheets.supplied(period)  # the departments' figures are not the county's
        ids = [i for i in collection.indicators_of(OFFICIAL) if i not in given]
        self._collect(period, panel, codes, accounts, analyst, year=year, ids=ids)

    def _items(
        self, period: Period, year: str, codes: list[str], accounts: dict[str, Any], analyst: Any
    ) -> None:
        """The bundled (synthetic) events of the year proposed with an evidence PDF and
        approved; 生态环境局 proposes its penalties itself."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kaoping.data.events import read_events
        from kaoping.web.official import items

        events = read_events(bundled.path("demo/henan_events.csv"))
        mine = events[(events["period"] == year) & events["unit"].isin(codes)]
        spec = load(OFFICIAL).official
        assert spec is not None
        kinds = {i.id: i for i in (*spec.bonus, *spec.penalty)}
        for _index, line in mine.iterrows():
            rule = kinds.get(str(line["item"]))
            if rule is None:
                continue
            actor = accounts["dept-eco"] if rule.id == "criticised" else analyst
            pdf = SimpleUploadedFile(
                f"{line['unit']}-{rule.id}.pdf", stand_in_pdf(),
                content_type="application/pdf",
            )  # fmt: skip
            item = items.item_propose(
                actor=actor, period=period, unit=str(line["unit"]), rule=rule.id,
                points=float(rule.points) * float(line["count"]), reason=f"{rule.name}（{NOTE}）",
                document=str(line["document"]), date=line["date"] or None, files=[pdf],
            )  # fmt: skip
            items.item_approve(actor=analyst, item=item)
        if year == "2024":  # a veto decided on evidence (the data's red line vetoes others)
            pdf = SimpleUploadedFile(f"{VETOED}-accident.pdf", stand_in_pdf())
            item = items.item_propose(
                actor=analyst, period=period, unit=VETOED, rule="accident",
                reason=f"应急管理部门通报发生较大生产安全事故（{NOTE}）",
                document="示例应急〔2024〕7号（虚构）", date="2024-09-12", files=[pdf],
            )  # fmt: skip
            items.item_approve(actor=analyst, item=item)


OFFICIAL = "county_hqd_official"
DEPARTMENTS = (("dept-stat", "统计局", []), ("dept-eco", "生态环境局", ["criticised"]))
VETOED = "410184"  # 新郑市: the demo's veto item of 2024 (synthetic)


def _targets_panel(methodology: Any) -> Any:
    from kaoping.data import read_panel

    return read_panel(bundled.path("demo/henan_targets.csv"), indicators=methodology.name_to_id())


def stand_in_pdf(text: str = "kaoping demo evidence - SYNTHETIC, not a real document") -> bytes:
    """A one-page PDF 1.4 that says ``text`` (ASCII), with a correct cross-reference table:
    the demo's stand-in for a document (and the tests' evidence file)."""
    stream = f"BT /F1 14 Tf 20 40 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)
