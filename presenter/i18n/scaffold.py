"""The words of `new` (presenter.scaffold): making a deck from a folder of evidence."""

from __future__ import annotations

from .words import Words

SCAFFOLD_WORDS: dict[str, Words] = {
    "bad_id": (
        "牌组文件夹名“{name}”只能由小写字母、数字和“-”组成",
        "the deck folder name '{name}' may only hold lowercase letters, digits and '-'",
    ),
    "exists": (
        "“{path}”已存在且不为空：不会覆盖已有的牌组（要向已有牌组添加证据，请用 import）",
        "'{path}' exists and is not empty: an existing deck is never overwritten (to add to"
        " a deck, use import)",
    ),
    "no_folder": ("证据文件夹“{path}”不存在", "the evidence folder '{path}' does not exist"),
    "carried_body": (
        "本项文件不在法庭展示（如原始存储介质的镜像），随卷移送，其完整性校验值见“来源与形成”。",
        "This item's files are not shown in court (a forensic image of the original medium,"
        " say); they travel with the file, their check values on the Source panel.",
    ),
    "empty": ("证据文件夹“{path}”中没有任何文件", "the evidence folder '{path}' holds no file"),
}
