"""Rows longer than their header, periods that are not periods, a period given for the whole
file, units matched by name, and the ranks of a results file: each read or refused by cell.

Expected values are read off the rows as written (row 1 is the header, column A the first).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kaoping.data import Units, read_panel, read_units
from kaoping.data._parse import parse_period
from kaoping.data.readers import read_ranks
from kaoping.errors import InputError

from .xlsxkit import workbook

INDICATORS = {"gdp_pc": "gdp_pc", "人均GDP": "gdp_pc", "urban": "urban", "城镇化率": "urban"}
UNITS = Units(
    pd.DataFrame(
        {
            "code": ["410821", "410822", "410728", "410783"],
            "name": ["修武县", "博爱县", "长垣县", "长垣县"],
            "valid_to": [None, None, 2018, None],
            "valid_from": [None, None, None, 2019],
        }
    )
)


def csv(folder: Path, text: str, name: str = "data.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **kwargs: object) -> list[tuple[str, str | None]]:
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS, **kwargs)  # type: ignore[arg-type]
    return [(p.code, p.where) for p in error.value.problems]


# -- more cells than the header --------------------------------------------------------------


def test_an_unquoted_thousands_separator_is_refused_not_shifted(tmp_path: Path) -> None:
    """``86,200`` unquoted is read as two cells, 86 and 200: without the check the row would
    give gdp_pc = 86 and urban = 200 and change every score."""
    path = csv(
        tmp_path, "代码,年份,人均GDP,城镇化率\n410821,2024,86,200,55.2\n410822,2024,91000,58.1\n"
    )
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS)
    (problem,) = error.value.problems
    assert (problem.code, problem.where) == ("data.extra_cells", "data.csv!E2")
    assert "86,200" in problem.zh
    assert '"86,200"' in problem.en


def test_a_quoted_thousands_separator_is_a_number(tmp_path: Path) -> None:
    path = csv(tmp_path, '代码,年份,人均GDP,城镇化率\n410821,2024,"86,200",55.2\n')
    panel = read_panel(path, indicators=INDICATORS)
    assert panel.matrix("2024", ["gdp_pc", "urban"]).iloc[0].tolist() == [86200.0, 55.2]


def test_empty_cells_after_the_header_are_no_problem(tmp_path: Path) -> None:
    path = csv(tmp_path, "代码,年份,人均GDP\n410821,2024,86200,,\n")
    assert read_panel(path, indicators=INDICATORS).frame["value"].tolist() == [86200.0]


def test_a_cell_right_of_a_workbook_header_is_refused(tmp_path: Path) -> None:
    rows = [["代码", "年份", "人均GDP"], ["410821", "2024", 86200, None, 7]]
    path = tmp_path / "data.xlsx"
    path.write_bytes(workbook(rows))
    assert problems(path) == [("data.extra_cells", "data.xlsx!Sheet1!E2")]


def test_long_files_and_units_files_refuse_extra_cells_too(tmp_path: Path) -> None:
    long = csv(tmp_path, "代码,年份,指标,数值\n410821,2024,人均GDP,86,200\n", "long.csv")
    assert problems(long) == [("data.extra_cells", "long.csv!E2")]
    units = csv(tmp_path, "代码,名称\n410821,修武县,焦作\n", "units.csv")
    with pytest.raises(InputError) as error:
        read_units(units)
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("data.extra_cells", "units.csv!C2")
    ]


# -- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024.5", "2024.10", "2024.06", "２０２４.５", "24", "99999"])
def test_a_period_that_is_not_a_year_or_a_period_code_is_refused_by_cell(
    tmp_path: Path, text: str
) -> None:
    """2024.10 reads as the decimal 2024.1 and 2024.5 could be May or a half-year: a dot is
    refused with the two ways to write what was meant."""
    path = csv(tmp_path, f"代码,年份,人均GDP\n410821,{text},86200\n")
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS)
    (problem,) = error.value.problems
    assert (problem.code, problem.where) == ("data.bad_period", "data.csv!B2")
    if "." in text:
        assert "H1" in problem.zh


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2024", "2024"),
        ("2024.0", "2024"),
        ("2024年", "2024"),
        ("2024-Q3", "2024-Q3"),
        ("2024年第3季度", "2024-Q3"),
        ("2024-H1", "2024-H1"),
        ("2024h2", "2024-H2"),
        ("2024年上半年", "2024-H1"),
        ("2024年下半年", "2024-H2"),
        ("2024-06", "2024-06"),
        ("2024/6", "2024-06"),
        ("2024年6月", "2024-06"),
    ],
)
def test_years_quarters_half_years_and_months_are_periods(text: str, period: str) -> None:
    assert parse_period(text) == period


def test_a_numeric_period_with_decimals_is_refused() -> None:
    bad = parse_period(2024.5)
    assert not isinstance(bad, str)
    assert bad is not None
    assert "2024-05" in bad.zh


def test_default_period_supplies_the_period_of_a_file_without_one(tmp_path: Path) -> None:
    path = csv(tmp_path, "代码,人均GDP\n410821,86200\n")
    assert problems(path) == [("data.missing_column", "data.csv!A1")]
    panel = read_panel(path, indicators=INDICATORS, default_period="2024年")
    assert panel.periods == ("2024",)


def test_default_period_keeps_every_row_of_a_file_with_periods(tmp_path: Path) -> None:
    path = csv(tmp_path, "代码,年份,人均GDP\n410821,2023,80000\n410821,2024,86200\n")
    assert read_panel(path, indicators=INDICATORS, default_period="2024").periods == (
        "2023",
        "2024",
    )
    assert read_panel(path, indicators=INDICATORS, period="2024").periods == ("2024",)


def test_a_bad_default_period_is_refused(tmp_path: Path) -> None:
    path = csv(tmp_path, "代码,人均GDP\n410821,86200\n")
    assert problems(path, default_period="2024.5") == [("data.bad_period", "default_period")]


# -- units named, not coded ---------------------------------------------------------------------


@pytest.mark.parametrize("header", ["名称", "单位名称", "县（市）", "县(市)", "县(市、区)"])
def test_a_name_column_matches_units_by_name_with_a_units_table(
    tmp_path: Path, header: str
) -> None:
    path = csv(tmp_path, f"{header},年份,人均GDP\n修武县,2024,86200\n博爱县,2024,91000\n")
    panel = read_panel(path, indicators=INDICATORS, units=UNITS)
    assert panel.matrix("2024", ["gdp_pc"])["gdp_pc"].to_dict() == {
        "410821": 86200.0,
        "410822": 91000.0,
    }
    assert panel.frame["location"].tolist() == ["data.csv!C2", "data.csv!C3"]


def test_without_a_units_table_a_file_without_codes_says_how_to_match_names(
    tmp_path: Path,
) -> None:
    path = csv(tmp_path, "名称,年份,人均GDP\n修武县,2024,86200\n")
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS)
    (problem,) = error.value.problems
    assert (problem.code, problem.where) == ("data.no_header", "data.csv")
    assert "--units" in problem.zh


def test_an_unknown_name_is_a_problem_at_its_cell_with_a_suggestion(tmp_path: Path) -> None:
    path = csv(tmp_path, "名称,年份,人均GDP,城镇化率\n修武,2024,86200,55\n")
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS, units=UNITS, layout="wide")
    (problem,) = error.value.problems
    assert (problem.code, problem.where) == ("data.unknown_name", "data.csv!A2")
    assert "修武县" in problem.zh  # the suggestion


def test_a_shared_name_is_told_apart_by_the_period_else_refused(tmp_path: Path) -> None:
    """长垣县 410728 existed until 2018, 长垣县 410783 (here, for the test) from 2019: a row of
    2024 can only be the second; a file without periods cannot tell them apart."""
    dated = csv(tmp_path, "名称,年份,人均GDP\n长垣县,2024,70000\n长垣县,2017,50000\n", "a.csv")
    panel = read_panel(dated, indicators=INDICATORS, units=UNITS)
    assert sorted(zip(panel.frame["unit"], panel.frame["period"], strict=True)) == [
        ("410728", "2017"),
        ("410783", "2024"),
    ]
    long = csv(tmp_path, "名称,指标,数值\n长垣县,人均GDP,1\n长垣县,城镇化率,2\n", "b.csv")
    with pytest.raises(InputError) as error:
        read_panel(long, indicators=INDICATORS, units=UNITS, default_period="2018-H3")
    assert error.value.codes == ["data.bad_period"]  # a half-year is H1 or H2
    units = Units(pd.DataFrame({"code": ["1", "2"], "name": ["长垣县", "长垣县"]}))
    with pytest.raises(InputError) as error:
        read_panel(long, indicators=INDICATORS, units=units, default_period="2024")
    (problem,) = error.value.problems  # one problem for the name, listing its other cells
    assert (problem.code, problem.where) == ("data.ambiguous_name", "b.csv!A2")
    assert "b.csv!A3" in problem.zh


# -- a results file's ranks --------------------------------------------------------------------


def test_read_ranks_reads_a_results_file_in_either_language(tmp_path: Path) -> None:
    path = csv(tmp_path, "Code,Category,Rank,Rank in category\n410821,县,3,1\n410822,,5,\n")
    ranks = read_ranks(path)
    assert ranks.loc["410821"].tolist() == ["县", 1.0, 3.0]
    assert ranks.loc["410822", "category"] is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("代码,类别内排名\n410821,abc\n", "p.csv!B2"),
        ("代码,类别内排名\n410821,1.5\n", "p.csv!B2"),
        ("代码,类别内排名\n410821,0\n", "p.csv!B2"),
        ("代码,年份\n410821,2024\n", "p.csv"),
    ],
)
def test_read_ranks_refuses_what_is_not_a_rank(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(InputError) as error:
        read_ranks(csv(tmp_path, text, "p.csv"))
    assert [p.where for p in error.value.problems] == [where]
