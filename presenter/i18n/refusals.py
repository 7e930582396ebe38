"""Refusals: why the live machine refused a command (presenter.live.machine), why a screen gets
no pairing code (presenter.web.screen), why a key given at start is not taken
(presenter.live.access)."""

from __future__ import annotations

from .words import Words

REASONS: dict[str, Words] = {
    "screen_cannot_command": (
        "法庭屏幕只能跟随，不能操作",
        "court screens follow; they cannot command",
    ),
    "not_in_control": (
        "当前由另一方操作，请先收回控制权",
        "someone else has control; take it back first",
    ),
    "not_allowed": ("无权执行此操作", "not allowed"),
    "record_ended": ("示证记录已结束", "the record has ended already"),
    "cluster_lost": (
        "与其他示证端失去联系（Redis 无法连接）：屏幕保持当前画面，操作未执行，请稍后重试",
        "lost contact with the other presenting computers (Redis cannot be reached): the"
        " screens keep what they show; nothing was done, try again in a moment",
    ),
    "cluster_behind": (
        "Redis 中的示证状态比本机旧（重启后丢失了最近的操作）：为保证示证记录完整，操作暂停。"
        "请技术人员按 docs/cluster.md 处理",
        "Redis has the presentation as it was before its last changes (it lost them when it"
        " restarted): to keep the record whole, commands are paused. The technician follows"
        " docs/cluster.md",
    ),
    "cluster_busy": (
        "另一台示证端同时在操作，本次操作未执行，请重试",
        "another presenting computer was commanding at the same moment; nothing was done,"
        " try again",
    ),
    "unknown_action": ("未知操作", "unknown action"),
    "unknown_item": ("没有这个证据", "no such exhibit"),
    "excluded": (
        "该证据已排除（第四十四条），确认后才能展示",
        "this exhibit is excluded (Art. 44); confirm to show it",
    ),
    "unverified": (
        "该证据文件校验值不符，确认后才能展示",
        "this exhibit's files fail their hash; confirm to show it",
    ),
    "step_out_of_range": ("没有这个步骤", "no such step"),
    "unknown_panel": ("没有这个面板", "no such panel"),
    "unknown_blank": ("未知的黑屏方式", "unknown blank mode"),
    "bad_region": (
        "区域应为 [x, y, w, h]，均在 0 到 1 之间",
        "a region is [x, y, w, h] within 0..1",
    ),
    "bad_pointer": ("指示点应在 0 到 1 之间", "the pointer is x, y within 0..1"),
    "bad_media": ("播放指令无效", "not a playback command"),
    "not_media": ("当前证据不是音视频", "the current exhibit is not audio or video"),
    "not_document": ("当前证据不是文档", "the current exhibit is not a document"),
    "page_out_of_range": ("没有这一页", "no such page"),
    "not_table": ("当前证据不是表格", "the current exhibit is not a table"),
    "not_chart": ("当前证据不是图表", "the current exhibit is not a chart"),
    "bad_chart": (
        "图表条件无效",
        "until is an ISO 8601 time, focus a list of names, fold a number from 2 to 500, "
        "flow a pair of accounts of a fund-flow chart",
    ),
    "bad_table": (
        "排序列或筛选条件无效",
        "sort by an existing column, filter by at most 100 characters, start at row 0 or later",
    ),
    "bad_case": ("证据链显示指令无效", "case takes show: true or false"),
    "at_start": ("已是第一个", "already at the start"),
    "at_end": ("已是最后一个", "already at the end"),
    "no_exhibit": ("尚未选择证据", "no exhibit is shown"),
    "no_hash": ("此证据没有记录完整性校验值", "this exhibit has no recorded hash"),
    "verifying": ("正在核验，请稍候", "a verification is running"),
    "unknown_pairing": (
        "没有待批准或已批准的这个配对码",
        "no pending or approved pairing with this code",
    ),
    "bad_command": ("指令格式无效", "a command is an object with an action"),
    "not_chat": ("当前证据不是聊天记录", "the current exhibit is not a chat"),
    "bad_attachment": (
        "这条消息没有可放大展示的图片",
        "that message has no picture to show large",
    ),
    "bad_timer": (
        "倒计时应为 1 秒到 24 小时",
        "a countdown is a number of seconds from 1 to 24 hours",
    ),
    "unknown_file": (
        "当前证据没有这个可展示的文件",
        "the exhibit on screen has no such file to show",
    ),
    "bad_shape": (
        "标注无效：画笔和荧光笔 2 到 500 个点，箭头、矩形和椭圆 2 个点，文字 1 个点和不超过"
        " 100 字的内容，坐标在 0 到 1 之间，颜色为 #rrggbb",
        "not a shape: pen and highlight take 2 to 500 points, arrow, rect and ellipse 2, text"
        " 1 point and up to 100 characters; x, y within 0..1; colour #rrggbb",
    ),
    "too_many_shapes": (
        "此页标注已达上限，请先清除部分标注",
        "this view has as many annotations as it may; clear some first",
    ),
    "no_annotation": ("此页没有可撤销的标注", "no annotation on this view to undo"),
    "bad_compare": (
        "并排展示指令无效：需两个证据编号（结束时为空），布局为 50/50 或 60/40，方向为左右或上下",
        "side by side takes two items (none to end it), layout 50/50 or 60/40, direction row"
        " or column",
    ),
    "not_comparing": ("当前没有并排展示", "nothing is side by side"),
    "bad_redaction": (
        "遮挡指令无效：遮挡框为 [x, y, w, h]（0 到 1 之间），只能加在图片、文档页或视频上",
        "not a redaction: a box is [x, y, w, h] within 0..1, on a picture, a document page or"
        " a video",
    ),
    "too_many_redactions": ("遮挡框已达上限", "as many redaction boxes as there may be"),
    "demonstrative_failed": (
        "无法保存演示材料：此证据的画面无法绘制",
        "the demonstrative could not be saved: this exhibit's picture cannot be drawn",
    ),
}
"""Why a command was refused: the `error` of its acknowledgement, and the words for people."""

PAIRING_REFUSED: dict[str, Words] = {
    "pairing_busy_here": (
        "这台设备已有多个配对码在等待批准。请在公诉人批准后再试，或使用屏幕链接。",
        "This device already has several codes waiting. Try again once the presenter has"
        " answered, or use the screen link.",
    ),
    "pairing_busy": (
        "等待批准的配对码过多。请稍后再试，或使用屏幕链接。",
        "Too many codes are waiting. Try again shortly, or use the screen link.",
    ),
}
"""Why a screen that asked gets no pairing code now, by PairingRefused's code."""

KEY_REFUSED: dict[str, Words] = {
    "alphabet": ("只能包含字母、数字、“-”和“_”", "only letters, digits, '-' and '_'"),
    "weak": (
        "密钥过弱：至少需 {bits} 位随机性（例如 22 个以上随机字母数字，不用单词、顺序或重复）",
        "too weak: a key needs at least {bits} bits of randomness (e.g. 22 or more random"
        " letters and digits, no words, runs or repeats)",
    ),
}
"""Why a presenter's or a screen's key given by the user is refused (`{bits}`: how much
randomness it must hold)."""
