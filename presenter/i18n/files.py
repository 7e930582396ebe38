"""What the program says of a file it cannot show as it is: a drawing that failed
(presenter.rendering), a transcript it cannot read (presenter.transcript)."""

from __future__ import annotations

from .words import Words

RENDER_FAILURES: dict[str, Words] = {
    "unreadable": ("无法读取此文件", "this file cannot be read"),
    "too_heavy": (
        "此文件过于复杂，无法在时间和内存限度内绘制",
        "this file is too heavy to draw within the time and memory limits",
    ),
    "busy": (
        "正在绘制此证据的其他内容，请稍后再试",
        "busy drawing this exhibit, try again shortly",
    ),
    "unavailable": ("暂时无法绘制，请稍后再试", "cannot draw right now, try again shortly"),
}
"""Why a page or picture was not drawn, by Failure's reason."""

TRANSCRIPT_ERRORS: dict[str, Words] = {
    "bad_time": ("时间格式错误：{value}", "not a time: {value}"),
    "bad_timing": ("应为“开始 --> 结束”的时间行", "expected a timing line 'start --> end'"),
    "backwards": ("结束时间早于开始时间", "the end is before the start"),
    "not_vtt": ("WebVTT 文件应以 WEBVTT 开头", "a WebVTT file begins with WEBVTT"),
    "no_columns": (
        "CSV 文字记录应有 start 和 text 两列（end、speaker 可选）",
        "a CSV transcript has start and text columns (end and speaker optional)",
    ),
    "not_utf8": ("文件不是 UTF-8 编码", "the file is not UTF-8"),
    "unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "unknown_kind": (
        "文字记录应为 .srt、.vtt 或 .csv 文件",
        "a transcript is an .srt, .vtt or .csv file",
    ),
}
"""Why a transcript cannot be read (TranscriptError's words)."""
