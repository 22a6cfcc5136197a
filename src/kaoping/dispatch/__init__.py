"""Key-project dispatch (重点项目月调度): progress against 序时进度, warnings, rankings, 三个一批.

Plain pandas, no database: the registry (项目库) and the monthly reports (月调度) are frames
whose columns are named in :mod:`kaoping.dispatch.schema`; the platform's ``projects`` app
stores them and calls the same functions.

- :func:`progress` / :func:`county_progress`: a month's figures and status per project and
  county (:mod:`kaoping.dispatch.progress`);
- :func:`county_measures` / :func:`rank_counties` / :func:`as_indicator`: counties ranked by
  开工率, 投资完成率, 竣工率, 投产率, 履约率 (:mod:`kaoping.dispatch.rankings`);
- :func:`batch_rates`: the 「三个一批」 rates (:mod:`kaoping.dispatch.batches`);
- :func:`new_starts`, :func:`special_bonds`, :func:`red_projects`: the dashboard's headline
  questions (:mod:`kaoping.dispatch.questions`).
"""

from __future__ import annotations

from kaoping.dispatch.batches import batch_rates
from kaoping.dispatch.progress import county_progress, progress, project_series
from kaoping.dispatch.questions import new_starts, red_projects, special_bonds
from kaoping.dispatch.rankings import as_indicator, county_measures, rank_counties

__all__ = [
    "as_indicator",
    "batch_rates",
    "county_measures",
    "county_progress",
    "new_starts",
    "progress",
    "project_series",
    "rank_counties",
    "red_projects",
    "special_bonds",
]
