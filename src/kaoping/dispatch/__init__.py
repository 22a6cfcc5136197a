"""Key-project dispatch (重点项目月调度): progress against 序时进度, warnings, rankings, 三个一批.

Plain pandas, no database: the registry (项目库) and the monthly reports (月调度) are frames
whose columns are named in :mod:`kaoping.dispatch.schema`; the platform's ``projects`` app
stores them and calls the same functions.

- :func:`progress` / :func:`county_progress`: a month's figures and status per project and county;
"""

from __future__ import annotations

from kaoping.dispatch.progress import county_progress, progress, project_series

__all__ = ["county_progress", "progress", "project_series"]
