"""The column-by-column reader of large wide CSV and Parquet files (kaoping.data._columnar).

Its promise: a file it reads gives exactly the panel the cell-by-cell reader gives (same
values to the last bit, same codes, periods, names and cell addresses), and a file it cannot
read alone (a problem, a layout it does not handle) goes to the cell-by-cell reader, which
reports every problem.  The reference here is therefore the cell-by-cell reader itself, run on
the same file with the columnar path switched off.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.data import read_panel, readers
from kaoping.data._columnar import Fallback
from kaoping.errors import InputError

INDICATORS = {"人均GDP": "gdp", "投资": "inv", "x3": "x3"}


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> tuple[object, object]:
    """The panel (or the InputError) of the columnar path and of the cell-by-cell one."""

    def run() -> object:
        try:
            return read_panel(path, indicators=INDICATORS, **kwargs)  # type: ignore[arg-type]
        except InputError as error:
            return error

    fast = run()
    with monkeypatch.context() as m:
        m.setattr(readers, "_read_columnar", lambda *a, **k: None)
        slow = run()
    return fast, slow


def _same(fast: object, slow: object) -> None:
    if isinstance(slow, InputError):
        assert isinstance(fast, InputError)
        assert [p.message() for p in fast.problems] == [p.message() for p in slow.problems]
        return
    assert not isinstance(fast, InputError), fast
    pd.testing.assert_frame_equal(fast.frame, slow.frame)  # type: ignore[attr-defined]
    for period in slow.periods:  # type: ignore[attr-defined]
        ids = list(slow.indicators)  # type: ignore[attr-defined]
        a = fast.matrix(period, ids).to_numpy()  # type: ignore[attr-defined]
        b = slow.matrix(period, ids).to_numpy()  # type: ignore[attr-defined]
        # to the last bit: the same doubles (NaN where empty), -0.0 kept
        assert a.tobytes() == b.tobytes()
        pd.testing.assert_frame_equal(
            fast.locations(period, ids),  # type: ignore[attr-defined]
            slow.locations(period, ids),  # type: ignore[attr-defined]
        )
    assert fast.names == slow.names  # type: ignore[attr-defined]
    assert fast.units == slow.units  # type: ignore[attr-defined]


def _columnar(path: Path, **kwargs: object) -> object:
    """What the columnar reader alone makes of the file (a Wide or a Fallback)."""
    return readers._read_columnar(
        path,
        None,
        readers._Vocabulary(INDICATORS),
        None,
        kwargs.get("period"),  # type: ignore[arg-type]
    )


def test_a_clean_file_is_read_column_by_column_and_equals_the_cell_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "县域数据（单位：元）\n"
        "代码,名称,年份,人均GDP（元）,投资,备注,x3\n"
        '410102,中原区,2024,"86,200",12.5,,-0\n'
        "\n"
        "410103,二七区,2024年,—,NA,ok,0012\n"
        "410104.0,　管城区 ,2024, 7 ,１２.５,,5.\n"
        "注：数据为合成数据\n",
        encoding="utf-8",
    )
    # the footnote line has one cell: a row of another length, so the cell reader reads it
    assert isinstance(_columnar(path), Fallback)
    path.write_text(
        "县域数据（单位：元）,,,,,,\n"
        "代码,名称,年份,人均GDP（元）,投资,备注,x3\n"
        '410102,中原区,2024,"86,200",12.5,,-0\n'
        ",,,,,,\n"
        "410103,二七区,2024年,—,NA,ok,0012\n"
        "410104.0,　管城区 ,2024, 7 ,１２.５,,5.\n"
        "注：数据为合成数据,,,,,,\n",
        encoding="utf-8",
    )
    assert not isinstance(_columnar(path), Fallback)
    fast, slow = _both(path, monkeypatch)
    _same(fast, slow)
    matrix = fast.matrix("2024", ["gdp", "inv", "x3"])  # type: ignore[attr-defined]
    # by hand: "86,200" is 86200, — and NA are missing, " 7 " is 7, full-width １２.５ is 12.5
    assert matrix.loc["410102"].tolist()[:2] == [86200.0, 12.5]
    assert np.signbit(matrix.at["410102", "x3"])  # -0 stays -0.0
    assert matrix.loc["410104"].tolist() == [7.0, 12.5, 5.0]
    assert fast.names["410104"] == "管城区"  # type: ignore[attr-defined]
    where = fast.locations("2024", ["gdp"])  # type: ignore[attr-defined]
    assert where.at["410103", "gdp"] == "d.csv!D5"


def test_a_cell_that_is_not_a_number_sends_the_file_to_the_cell_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "代码,年份,人均GDP,投资\n410102,2024,12%,1\n410103,2024,abc,2\n410102,2024,3,4\n",
        encoding="utf-8",
    )
    assert isinstance(_columnar(path), Fallback)
    fast, slow = _both(path, monkeypatch)
    _same(fast, slow)
    assert isinstance(fast, InputError)
    # every problem at once: two cells that are not numbers and the repeated row
    assert [p.code for p in fast.problems].count("data.not_a_number") == 2
    assert any(p.code == "data.duplicate" for p in fast.problems)


_CELLS = st.one_of(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", " ", "NA", "—", "-", "N/A", '"1,234.5"', " 12.5 ", "１２", "5.", "-0"]),
    st.sampled_from(["abc", "12%", "inf", "1e5", "+3", "nan", "-nan", "1_000", "1e999", ".5"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(_CELLS, _CELLS, st.sampled_from(["2024", "2024年", "2023", " 2023 ", "", "x"])),
        min_size=1,
        max_size=8,
    ),
    named=st.booleans(),
    title=st.booleans(),
    dated=st.booleans(),
    repeat=st.booleans(),
)
def test_the_columnar_reader_agrees_with_the_cell_reader_on_any_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[tuple[str, str, str]],
    named: bool,
    title: bool,
    dated: bool,
    repeat: bool,
) -> None:
    head = "代码" + (",名称" if named else "") + (",年份" if dated else "") + ",人均GDP,投资"
    lines = ["标题,,," if title else None, head]
    for k, (a, b, year) in enumerate(rows):
        code = "410000" if repeat and k % 3 == 0 else f"41{k:04d}"  # a unit twice, sometimes
        keys = code + (f",单位{k}" if named else "") + (f",{year}" if dated else "")
        lines.append(f"{keys},{a},{b}")
    path = tmp_path / "h.csv"
    path.write_text("\n".join(line for line in lines if line is not None) + "\n", encoding="utf-8")
    fast, slow = _both(path, monkeypatch, default_period="2024")
    _same(fast, slow)


def test_parquet_gives_the_panel_of_the_same_table_as_csv_to_the_last_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "代码": [f"U{i:05d}" for i in range(500)],
            "年份": ["2024"] * 500,
            "人均GDP": rng.lognormal(size=500),
            "投资": rng.normal(size=500) * 1e6,
        }
    )
    frame.loc[3, "投资"] = np.nan
    frame.to_csv(tmp_path / "t.csv", index=False)  # repr floats: they round-trip exactly
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    from_csv = read_panel(tmp_path / "t.csv", indicators=INDICATORS)
    from_parquet = read_panel(tmp_path / "t.parquet", indicators=INDICATORS)
    a = from_csv.matrix("2024", ["gdp", "inv"]).to_numpy()
    b = from_parquet.matrix("2024", ["gdp", "inv"]).to_numpy()
    assert a.tobytes() == b.tobytes()
    assert from_parquet.units == from_csv.units
    # the Parquet cells are addressed as a sheet shows the table: header row 1, data from 2
    where = from_parquet.locations("2024", ["inv"])
    assert where.at["U00003", "inv"] == "t.parquet!D5"


def test_a_parquet_file_with_a_problem_is_read_cell_by_cell(tmp_path: Path) -> None:
    frame = pd.DataFrame({"代码": ["A1", "A2", "A3"], "人均GDP": [1.0, float("inf"), 3.0]})
    frame["投资"] = ["1", "x", "2"]
    frame.to_parquet(tmp_path / "bad.parquet", index=False)
    with pytest.raises(InputError) as raised:
        read_panel(tmp_path / "bad.parquet", indicators=INDICATORS, default_period="2024")
    found = {(p.code, p.where) for p in raised.value.problems}
    assert ("data.not_a_number", "bad.parquet!B3") in found  # the infinite number
    assert ("data.not_a_number", "bad.parquet!C3") in found  # the text "x"


def test_a_file_too_large_for_the_cell_reader_names_where_the_columnar_reading_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    body = io.StringIO()
    body.write("代码,年份,人均GDP,投资\n")
    for i in range(2_000):
        body.write(f"U{i},2024,{i},{'oops' if i == 1_500 else i}\n")
    path.write_text(body.getvalue(), encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(InputError) as raised:
        read_panel(path, indicators=INDICATORS)
    (problem,) = raised.value.problems
    # the cell where the columnar reading stopped: row 1,502 of the file (header on row 1)
    assert "big.csv!D1502：“oops” 不是数字" in problem.message("zh")
    assert "big.csv!D1502: 'oops' is not a number" in problem.message("en")
    assert "拆成" in problem.message("zh")
    assert "split the file" in problem.message("en")
