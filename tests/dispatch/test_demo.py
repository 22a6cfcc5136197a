"""The demo's synthetic dispatch data: seeded, consistent with its own registry, and carrying
the headline numbers the dashboard shows (11 special-bond projects, 19.6 亿元: the amounts in
kaoping.dispatch.demo sum to 196,000 万元)."""

from __future__ import annotations

import pandas as pd

from kaoping.dispatch import new_starts, special_bonds
from kaoping.dispatch.demo import JIAOZUO, synthetic
from kaoping.dispatch.progress import progress


def test_the_demo_is_seeded_and_its_reports_belong_to_its_projects() -> None:
    reg, rep = synthetic()
    again, rep_again = synthetic()
    pd.testing.assert_frame_equal(reg, again)
    pd.testing.assert_frame_equal(rep, rep_again)
    assert set(reg["county"]) == set(JIAOZUO)
    assert set(rep["project"]) <= set(reg["project"])
    assert not rep.duplicated(["project", "month"]).any()
    assert sorted(set(rep["month"]))[0] == "2025-12"
    assert sorted(set(rep["month"]))[-1] == "2026-11"
    # a project reports only from the month it started
    start = reg.set_index("project")["actual_start"].dt.to_period("M").astype(str)
    assert (rep["month"] >= rep["project"].map(start)).all()


def test_the_demo_answers_the_headline_questions() -> None:
    reg, rep = synthetic()
    bonds = special_bonds(reg)
    assert (bonds.projects, bonds.amount_yi) == (11, 19.6)
    starts = new_starts(reg, "2026-11")
    assert 0 < starts.key_industrial <= starts.industrial
    assert 0 < starts.share_pct < 100
    statuses = set(progress(reg, rep, "2026-11")["status"])
    assert {"超前", "正常", "滞后", "停工"} <= statuses
