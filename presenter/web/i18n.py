"""The interface's words, in Simplified Chinese (default) and English."""

from __future__ import annotations

from flask import request

STRINGS: dict[str, tuple[str, str]] = {
    "app": ("示证", "Shizheng"),
    "exhibits": ("证据目录", "Exhibits"),
    "number": ("序号", "No."),
    "id": ("编号", "ID"),
    "title": ("证据名称", "Title"),
    "type": ("类别", "Kind"),
    "view": ("展示方式", "View"),
    "method": ("收集方式", "Collection"),
    "excluded": ("已排除", "excluded"),
    "facts": ("待证事实", "Facts to prove"),
    "case_number": ("案号", "Case number"),
    "court": ("审理法院", "Court"),
    "defendants": ("被告人", "Defendants"),
    "other_language": ("English", "中文"),
    # Art. 27 kinds
    "type.platform_post": ("网络平台发布信息", "platform posts"),
    "type.communication": ("网络通讯信息", "communications"),
    "type.identity": ("用户身份信息", "user identity"),
    "type.behaviour": ("用户行为信息", "user behaviour"),
    "type.tool": ("行为工具信息", "tools"),
    "type.system_log": ("系统运行信息", "system logs"),
    "type.file": ("电子文件", "electronic files"),
    # Art. 28 methods
    "method.seizure": ("扣押、封存原始存储介质", "seizure of the original medium"),
    "method.onsite": ("现场提取", "on-site extraction"),
    "method.online": ("在线提取", "online extraction"),
    "method.freeze": ("冻结", "freezing"),
    "method.retrieval": ("调取", "retrieval"),
    # views
    "view.image": ("图片", "image"),
    "view.video": ("视频", "video"),
    "view.audio": ("音频", "audio"),
    "view.chat": ("聊天记录", "chat"),
    "view.table": ("表格", "table"),
    "view.code": ("代码", "code"),
    "view.document": ("文档", "document"),
    "view.markdown": ("文字说明", "text"),
    "view.chart": ("动态演示", "chart"),
    # Art. 17-20 elements
    "element.identity": ("主体身份", "identity"),
    "element.conduct": ("客观行为", "conduct"),
    "element.intent": ("主观明知", "intent"),
    "element.consequence": ("危害后果", "consequence"),
}


def language(default: str) -> str:
    """`?lang=en` or `?lang=zh-CN` picks the language, else the deck's."""
    asked = request.args.get("lang", "")
    if asked in ("en", "zh-CN"):
        return asked
    return default


def translator(lang: str):
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        entry = STRINGS.get(key)
        return entry[index] if entry else key

    return t
