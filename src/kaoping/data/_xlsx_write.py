"""The house style of the workbooks kaoping writes: one header colour, and the look of a
reference sheet (填表说明, 指标说明) — bold coloured headers, set widths, wrapped cells aligned to
the top, the first columns frozen.  openpyxl is imported by the writers that use this."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["HEADER_FILL", "style_reference"]

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
"""The fill of a header cell in every workbook kaoping writes."""


def style_reference(ws: Worksheet, widths: Sequence[float], *, freeze: str = "C2") -> None:
    """Style a reference sheet whose first row holds the headers: column ``k`` gets
    ``widths[k]``, header cells bold on :data:`HEADER_FILL`, every other cell wrapped and
    aligned to the top, panes frozen at ``freeze``."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = freeze
