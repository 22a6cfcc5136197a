"""The kernel density chart: one line per period equal to the densities, a legend naming the
periods, labelled axes, and the same bytes for the same input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from kaoping.analysis.dynamics import kernel_density
from kaoping.report.dynamics_charts import density_chart

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def kde():  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(11)
    scores = pd.DataFrame(
        {p: rng.normal(40 + 2 * k, 8, 102) for k, p in enumerate(["2022", "2023", "2024"])},
        index=[f"41{i:04d}" for i in range(102)],
    )
    return kernel_density(scores)


def test_one_line_per_period_with_the_densities_and_a_legend(kde) -> None:  # type: ignore[no-untyped-def]
    chart = density_chart(kde)
    ax = chart.figure.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3
    for line, period in zip(lines, kde.periods, strict=True):
        assert_array_equal(line.get_xdata(), kde.grid)
        assert_array_equal(line.get_ydata(), kde.density[period].to_numpy())
    legend = ax.get_legend()
    assert legend is not None, "a density chart without a legend"
    assert [t.get_text() for t in legend.get_texts()] == ["2022年", "2023年", "2024年"]
    assert ax.get_xlabel() == "得分"
    assert ax.get_ylabel() == "密度"
    assert chart.title == "综合得分核密度"
    assert "2024年主峰位于" in chart.alt
    # distinct colours, oldest to latest
    assert len({line.get_color() for line in lines}) == 3


def test_english_labels_and_a_given_title() -> None:
    scores = pd.DataFrame({"A": [1.0, 2.0, 4.0, 7.0], "B": [2.0, 3.0, 3.5, 9.0]})
    chart = density_chart(
        kernel_density(scores, bandwidth=1.0), title="Green", xlabel="Green score", lang="en"
    )
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Green score", "Density")
    assert chart.title == "Green"
    assert ax.get_title(loc="right") == "Gaussian kernel, given bandwidth"


def test_the_chart_is_a_png_and_an_svg_with_the_same_bytes_each_time(kde) -> None:  # type: ignore[no-untyped-def]
    png = density_chart(kde).png(dpi=80)
    assert png.startswith(PNG)
    assert density_chart(kde).png(dpi=80) == png
    svg = density_chart(kde).svg()
    assert svg.lstrip().startswith("<?xml")
    assert density_chart(kde).svg() == svg
