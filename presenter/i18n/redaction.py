"""The words of `check --redactions` (presenter.redaction.report): each number found, its
decision, and the files not read."""

from __future__ import annotations

from .words import Words

REDACTION_WORDS: dict[str, Words] = {
    "page": ("第 {page} 页", "page {page}"),
    "confirmed": ("已确认遮挡", "confirmed: blacked out"),
    "dismissed": ("不遮挡", "dismissed: shown"),
    "pending": ("待确认（暂时遮挡）", "waiting (blacked out meanwhile)"),
    "unknown": ("没有编号为 {id} 的识别结果", "no number found has the id {id}"),
    "unread": (
        "{item} {file}：未能识别（{why}），旁听席屏幕不显示此文件",
        "{item} {file}: not read ({why}); public screens are not shown it",
    ),
    "partly": (
        "{item} {file}：仅识别了 {read}/{pages} 页，其余页面旁听席屏幕不显示",
        "{item} {file}: {read} of {pages} pages read; public screens are not shown the others",
    ),
    "summary": (
        "识别出 {total} 处号码，待确认 {waiting} 处。",
        "Numbers found: {total}; waiting for a decision: {waiting}.",
    ),
    "reading": ("识别号码", "reading numbers"),
}
