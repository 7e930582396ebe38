"""The table view's own words (presenter.views.table), beside the interface's."""

from __future__ import annotations

from .words import Words

TABLE_WORDS: dict[str, Words] = {
    "footer": ("原表合计行", "Totals rows of the original"),
    "footer_left_out": ("另有前 {count} 行见原件", "{count} earlier ones in the original"),
    "categories": ("分类合计", "Totals by"),
    "count": ("笔数", "Count"),
    "sum": ("金额合计", "Sum"),
    "other": ("其他", "Others"),
    "other_values": ("其他 {values} 类", "{values} others"),
    "inflow": ("收入", "In"),
    "outflow": ("支出", "Out"),
    "category": ("分类", "Category"),
    "unreadable": ("无法读数", "not figures"),
}
"""The table view's own words (a bank statement's preamble, totals rows and categories)."""
