"""Django's static files app, told which of the installed packages' files the site never
serves (collectstatic copies, compresses and hashes only the rest)."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    # ECharts' dist folder holds ~50 MB of builds and source maps; the pages load
    # echarts.min.js only
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "echarts.*.map",
        "*.esm.*",
        "echarts.js",
        "echarts.common*",
        "echarts.simple*",
        "extension",
        "package.json",
    ]
