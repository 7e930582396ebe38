"""The words of checking a presentation record (presenter.live.record): the chain's verdict,
and what else was found (its key, its closing entry, the checkpoints screens kept)."""

from __future__ import annotations

from .words import Words

MESSAGES: dict[str, Words] = {
    "ok": ("共 {entries} 条，校验链完整", "{entries} entries, the chain is whole"),
    "empty": ("记录为空", "the record is empty"),
    "unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "malformed": ("第 {line} 行不是记录条目", "line {line} is not a record entry"),
    "incomplete": ("第 {line} 行不完整（缺少换行）", "line {line} is incomplete (no newline)"),
    "changed": (
        "第 {line} 行已被修改：其校验值与内容不符",
        "line {line} was changed: its hash does not match its content",
    ),
    "removed": (
        "第 {line} 行之前有条目被删除（应为第 {expected} 条，实为第 {found} 条）",
        "an entry before line {line} was removed (expected entry {expected}, found {found})",
    ),
    "inserted": (
        "第 {line} 行是插入的：它不接续上一行",
        "line {line} was inserted: it does not follow the line before it",
    ),
}
"""The chain's verdict by RecordCheck's code, filled from its entries, line and params."""

FINDINGS: dict[str, Words] = {
    "key": ("签名密钥指纹：{fingerprint}", "signing key fingerprint: {fingerprint}"),
    "no_key": (
        "记录开头没有签名密钥：无法核对签名校验点",
        "the record names no signing key at its start: its checkpoints cannot be checked",
    ),
    "key_mismatch": (
        "记录的签名密钥（{found}）与给定的指纹（{given}）不符：记录可能被重写并重新签名",
        "the record's signing key ({found}) is not the one given ({given}): the record may"
        " have been rewritten and signed again",
    ),
    "closed": (
        "以第 {n} 条“结束示证”结束（{time}）",
        "ends with its closing entry, entry {n} ({time})",
    ),
    "not_closed": (
        "最后一条（第 {n} 条，{time}）不是结束条目："
        "记录末尾可能被截去，或示证未正常结束（程序中断）",
        "the last entry (entry {n}, {time}) is not a closing entry: the end may have been cut"
        " off, or the presentation did not end normally (the program stopped)",
    ),
    "inner": (
        "记录内 {count} 个签名校验点均有效",
        "the {count} signed checkpoints in the record hold",
    ),
    "inner_bad": (
        "第 {n} 条的签名校验点无效：签名、密钥或所指条目与记录不符",
        "the signed checkpoint at entry {n} does not hold: its signature, key or entry differs",
    ),
    "after_close": (
        "第 {n} 条是结束条目，其后却还有 {more} 条：结束后的内容是添加的",
        "entry {n} closes the record, yet {more} entries follow it: they were added",
    ),
    "expect_short": (
        "记下的校验值（{given}）太短或不是十六进制：请至少给出 16 位",
        "the head given ({given}) is too short or not hex: give at least 16 digits",
    ),
    "expect_last": (
        "与记下的末条校验值一致（第 {n} 条）",
        "matches the head noted down (entry {n})",
    ),
    "expect_earlier": (
        "记下的校验值是第 {n} 条的；其后还有 {more} 条",
        "the head noted down is entry {n}'s; {more} entries follow it",
    ),
    "expect_missing": (
        "记下的校验值（{given}）不在本记录中：记录被截短或被改动",
        "the head noted down ({given}) is not in this record: it was cut short or changed",
    ),
    "kept_ok": (
        "屏幕保存的 {count} 个校验点与记录一致（最晚到第 {n} 条）",
        "the {count} checkpoints a screen kept match the record (up to entry {n})",
    ),
    "kept_none": (
        "所给校验点文件中没有本记录的校验点（共 {count} 个，均属其他记录）",
        "the checkpoint file holds none of this record's checkpoints ({count}, all of others)",
    ),
    "kept_invalid": ("校验点（{time}）的签名无效", "the checkpoint of {time} has a bad signature"),
    "kept_foreign": (
        "校验点（{time}）由另一密钥（{found}…）签名：记录或校验点被重新签名",
        "the checkpoint of {time} is signed by another key ({found}…): one of them was re-signed",
    ),
    "kept_beyond": (
        "校验点（{time}）记到第 {n} 条，而本记录只有 {entries} 条：记录末尾被截去",
        "the checkpoint of {time} counts {n} entries, the record has only {entries}: its end"
        " was cut off",
    ),
    "kept_unreached": (
        "校验点（{time}）记到第 {n} 条，超出记录中可核实的 {entries} 条",
        "the checkpoint of {time} counts {n} entries, beyond the {entries} that can be verified",
    ),
    "kept_differs": (
        "校验点（{time}）与记录第 {n} 条的校验值不符：记录被改动",
        "the checkpoint of {time} does not match entry {n}: the record was changed",
    ),
}
"""What else a record's check found, by Finding's code, filled from its params."""
