"""The report's section 统计审计 (Statistical audit), read back with pypdf: its heading in the
contents and on its page, Cronbach's alpha and the first component of every group, the
indicators the audit flags; in English in English; refused when the audit is of another
period."""

from __future__ import annotations

import io
import re
from functools import cache
from html import unescape

import pytest
from pypdf import PdfReader
from tests.report.test_briefing_demo import academic

from kaoping.analysis.audit import Audit, audit
from kaoping.assess import Result
from kaoping.report import pdf
from kaoping.report.pdf import report_pdf


def result(period: str) -> Result:
    out = academic(period)
    assert isinstance(out, Result)
    return out


@cache
def found() -> Audit:
    return audit(result("2024"))


@cache
def pages() -> tuple[str, ...]:
    """The Chinese report with the audit, laid out (the one PDF this file makes)."""
    made = report_pdf(result("2024"), audit=found(), lang="zh")
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(made)).pages)


def squeeze(text: str) -> str:
    """Text without the spaces and line breaks the layout put in."""
    return re.sub(r"\s+", "", text)


def test_the_section_is_listed_and_printed_in_chinese() -> None:
    text = pages()
    assert "六、统计审计" in squeeze(text[0])  # the contents, after the five usual sections
    at = [i for i, t in enumerate(text) if "统计审计" in t and "各组一致性" in t]
    assert at, "no page with the audit's table"
    page = squeeze("\n".join(text[at[0] :]))
    a = found()
    for key, row in a.groups.iterrows():
        name = a.names("zh")[str(key)]
        assert f"{name}{int(row['k'])}{row['alpha']:.3f}" in page  # group, k, alpha
        assert f"{row['pc1_share'] * 100:.1f}%" in page
    flagged = a.indicators.index[a.indicators["outlier"]]
    assert len(flagged) > 0
    for ident in flagged:
        assert squeeze(a.names("zh")[ident]) in page
    assert "疑似异常值（偏度" in page
    assert "需要注意的指标" in page


def test_the_section_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    # the page's HTML (no layout: the Chinese PDF above is laid out and read back)
    monkeypatch.setattr(pdf, "_pdf", lambda html: html.encode("utf-8"))
    html = report_pdf(result("2024"), audit=found(), lang="en").decode("utf-8")
    assert '<a href="#audit">6. Statistical audit</a>' in html
    section = html[html.index('id="audit"') :]
    section = unescape(re.sub(r"<[^>]+>", " ", section[: section.index("</section>")]))
    assert "Cronbach's alpha" in section
    assert "Economic strength" in section
    assert "possible outliers (skewness" in section
    assert "Actually utilised FDI" in section  # an outlier of the demo, by its English name
    assert not re.search(r"[\u4e00-\u9fff]", section), "Chinese in the English section"


def test_an_audit_of_another_period_is_refused() -> None:
    other = audit(result("2023"))
    with pytest.raises(ValueError, match="audit is of county_hqd 2023"):
        report_pdf(result("2024"), audit=other)
