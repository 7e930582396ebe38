"""The command line's own words (presenter.cli): what a command says beside the reports it
prints, which have their own tables."""

from __future__ import annotations

from .words import Words

CLI_WORDS: dict[str, Words] = {
    "no_pdf": (
        "无法打印 PDF（需要 chromium）：{detail}",
        "cannot print the PDF (needs chromium): {detail}",
    ),
    "fingerprint": (
        "签名密钥指纹（请记下，核对示证记录时使用）：{fingerprint}",
        "Signing key fingerprint (note it down to verify the record): {fingerprint}",
    ),
    "record_ended": (
        "示证记录已结束：{file}，共 {entries} 条，末条校验值 {head}（请记下）",
        "The record has ended: {file}, {entries} entries, last hash {head} (note it down)",
    ),
    "no_checkpoints": ("无法读取校验点文件：{detail}", "cannot read the checkpoints: {detail}"),
    "record_out": ("输出文件应以 .html 或 .csv 结尾", "the output must end in .html or .csv"),
    "copying": ("复制并计算校验值（SHA-256、MD5）", "copying and hashing (SHA-256, MD5)"),
    "skipped": ("已跳过隐藏或空的条目：{name}", "left out, hidden or empty: {name}"),
    "cluster_unreachable": (
        "无法连接 Redis（{url}）：{detail}。请检查地址、密码和网络后重试。",
        "cannot reach Redis ({url}): {detail}. Check the address, the password and the"
        " network, then try again.",
    ),
    "cluster_deck_differs": (
        "无法加入：本机案卷与其他示证端正在示证的案卷不一致，以下证据的编号、校验值或文件内容不同：{items}。"
        "请从同一份案卷复制后再启动。",
        "cannot join: this copy of the deck differs from the one the other processes are"
        " presenting; these exhibits differ in their ids, hashes or files: {items}. Copy the same"
        " deck, then start again.",
    ),
    "cluster_terms_differ": (
        "无法加入：正在示证的各端对旁听席屏幕的遮蔽设置与本机不同（--no-public-mask）。",
        "cannot join: the presentation masks the public screen otherwise than this process"
        " (--no-public-mask).",
    ),
    "cluster_joined": (
        "已加入 Redis 上的示证（{url}）：各端共用同一组链接密钥和签名密钥。",
        "Joined the presentation on Redis ({url}): every process shares its link keys and"
        " signing key.",
    ),
    "standby": (
        "备用示证端：{peer}（同样的链接，地址换成它的）",
        "Standby:    {peer} (the same links, with its address)",
    ),
    "key_clash": (
        "{options} 必须各不相同：否则法庭屏幕会得到公诉人的权限",
        "{options} must all differ: a screen would otherwise get a presenter's rights",
    ),
    "reload_failed": (
        "案卷文件已修改，但无法载入（屏幕仍显示上一版本）：{detail}。请检查刚修改的文件后再保存一次。",
        "The deck changed on disk but could not be loaded (the screens keep the last version):"
        " {detail}. Check the file you just changed and save it again.",
    ),
    "every_interface": (
        "正在所有网络接口（{host}）上监听。法庭屏幕请使用屏幕链接，旁听席屏幕请使用旁听席屏幕链接，"
        "或在公诉人界面批准配对码；切勿泄露公诉人链接。",
        "Listening on every interface ({host}). Court screens must use the screen link, the"
        " public gallery the public link, or a pairing code approved in the presenter view;"
        " never give out the presenter link.",
    ),
}
"""By key: printing, the signing key and the record's head at start and stop, hashing a new
deck's files, the keys given, a deck that changed on disk, listening on every interface."""
