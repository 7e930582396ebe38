"""The words of `import` (presenter.importing): what each reader of a forensic export says
when the export is not what it should be, and what the writer puts into the new deck."""

from __future__ import annotations

from .words import Words

IMPORT_WORDS: dict[str, Words] = {
    "no_source": ("“{path}”不存在：请检查路径", "'{path}' does not exist: check the path"),
    "no_export_in": (
        "文件夹“{path}”中找不到唯一的导出文件（CSV、HTML、TXT、UFDR 或 JSON-LD）："
        "请直接指定导出文件",
        "the folder '{path}' holds no single export file (CSV, HTML, TXT, UFDR or JSON-LD):"
        " name the export file itself",
    ),
    "unknown": (
        "无法识别“{path}”：它不是 UFDR、CASE/UCO JSON-LD，"
        "也不是微信/QQ 聊天导出（CSV、HTML、TXT）。"
        "其他工具的表格请用 --mapping 指定对应关系文件（见 docs/import.md）",
        "'{path}' is not recognised: no UFDR, CASE/UCO JSON-LD or WeChat/QQ chat export (CSV,"
        " HTML, TXT). For another tool's spreadsheet give a mapping file with --mapping (see"
        " docs/import.md)",
    ),
}
"""Finding and recognising the export (presenter.importing)."""

CASE_WORDS: dict[str, Words] = {
    "too_big": (
        "CASE 文件“{path}”超过 256 MiB：拒绝处理",
        "the CASE file '{path}' is over 256 MiB: refused",
    ),
    "bad_json": (
        "“{path}”不是可读的 CASE/UCO JSON-LD（{detail}）：请确认由 Autopsy 或 export-case 生成",
        "'{path}' is no readable CASE/UCO JSON-LD ({detail}): check that Autopsy or"
        " export-case wrote it",
    ),
    "missing": (
        "CASE 文件记载的以下文件在“{folder}”及其子文件夹中找不到"
        "（按文件名、大小和校验值查找）：{names}。"
        "请把这些文件与 JSON-LD 文件放在一起后重试",
        "these files the CASE file names are not in '{folder}' or below (found by name, size"
        " and check value): {names}. Put them beside the JSON-LD file and try again",
    ),
}
"""A CASE/UCO JSON-LD export (presenter.importing.case)."""

CHAT_WORDS: dict[str, Words] = {
    "empty": (
        "聊天导出“{path}”为空或没有任何消息：请确认导出是否完整",
        "the chat export '{path}' is empty or holds no message: check that the export is whole",
    ),
    "too_big": (
        "聊天导出“{path}”超过 1 GiB：请按会话分开导出",
        "the chat export '{path}' is over 1 GiB: export the conversations one by one",
    ),
    "no_messages": (
        "在“{path}”中找不到消息（每条消息需有时间、发送人和内容）："
        "请确认是微信/QQ 导出工具生成的文件",
        "no message found in '{path}' (each needs a time, a sender and a text): check that a"
        " WeChat/QQ export tool wrote it",
    ),
    "parsed": (
        "由导出的 {form} 解析为 CSV（import）：{csv}",
        "parsed from the exported {form} into CSV (import): {csv}",
    ),
    "parsed_why": (
        "聊天视图读取 CSV；导出原件 {name} 原样保留，列为本证据第一个文件，两者均计算校验值",
        "the chat view reads a CSV; the export {name} is kept as it is, the item's first file,"
        " and both are hashed",
    ),
}
"""A WeChat or QQ chat export (presenter.importing.chats)."""

SHEET_WORDS: dict[str, Words] = {
    "bad_mapping": (
        "无法读取对应关系文件“{path}”（{detail}）：请按 docs/import.md 的格式填写",
        "cannot read the mapping file '{path}' ({detail}): write it as docs/import.md shows",
    ),
    "unknown_key": (
        "对应关系文件“{path}”中有未知的键：{keys}（可用：{allowed}）",
        "the mapping file '{path}' has unknown keys: {keys} (allowed: {allowed})",
    ),
    "bad_view": (
        "对应关系文件“{path}”中的 view = “{view}”无效：只能是 table 或 chat",
        "view = '{view}' in the mapping file '{path}' is not table or chat",
    ),
    "bad_columns": (
        "对应关系文件“{path}”中 [columns] 的值须为列名字符串，header_row 须为正整数",
        "in the mapping file '{path}', [columns] values must be column names and header_row a"
        " positive integer",
    ),
    "bad_role": (
        "对应关系文件“{path}”中的列角色“{role}”不适用于 {view} 视图（可用：{allowed}）",
        "the column role '{role}' in '{path}' is not one of the {view} view's ({allowed})",
    ),
    "empty": (
        "表格“{path}”为空或没有表头行：请确认文件和 header_row",
        "the spreadsheet '{path}' is empty or has no header row: check the file and header_row",
    ),
    "bad_sheet": (
        "无法读取表格“{path}”（{detail}）：请确认文件完整、工作表名称正确",
        "cannot read the spreadsheet '{path}' ({detail}): check the file and the sheet's name",
    ),
    "no_column": (
        "表格“{path}”的表头中没有这些列：{columns}。表头为：{header}",
        "the header of '{path}' has no such columns: {columns}. The header is: {header}",
    ),
}
"""Another tool's spreadsheet with a mapping file (presenter.importing.sheet)."""

UFDR_WORDS: dict[str, Words] = {
    "bad_zip": (
        "“{path}”不是完整的 UFDR（zip）文件（{detail}）：请从取证系统重新导出报告",
        "'{path}' is not a whole UFDR (zip) file ({detail}): export the report again from the"
        " forensic tool",
    ),
    "too_many": (
        "“{path}”包含 {count} 个成员，超过上限：拒绝处理，请核实文件来源",
        "'{path}' holds {count} members, over the limit: refused; check where the file came from",
    ),
    "bad_member": (
        "“{path}”中的成员“{member}”指向压缩包之外（含“..”或绝对路径）：拒绝处理，请核实文件来源",
        "the member '{member}' of '{path}' points outside the archive ('..' or an absolute"
        " path): refused; check where the file came from",
    ),
    "too_big": (
        "“{path}”解压后共 {size} 字节，超过 4 GiB 上限：拒绝处理，请按案件分开导出",
        "'{path}' unpacks to {size} bytes, over the 4 GiB limit: refused; export it in parts",
    ),
    "no_report": (
        "“{path}”中没有 report.xml：这不是 UFDR 报告，请确认文件",
        "'{path}' holds no report.xml: it is no UFDR report; check the file",
    ),
    "report_too_big": (
        "“{path}”中的 report.xml 超过 512 MiB：拒绝处理",
        "the report.xml in '{path}' is over 512 MiB: refused",
    ),
    "bad_xml": (
        "“{path}”中的 report.xml 无法安全读取（{detail}）：拒绝处理（含 DTD、实体或格式错误），"
        "请从取证系统重新导出",
        "the report.xml in '{path}' cannot be read safely ({detail}): refused (a DTD, entities"
        " or broken XML); export it again from the forensic tool",
    ),
    "procedure": ("依据 UFDR 报告（report.xml）记载：", "As the UFDR report (report.xml) records:"),
    "extraction_type": ("提取方式", "extraction type"),
    "start": ("提取开始", "extraction started"),
    "end": ("提取结束", "extraction ended"),
    "system": ("操作系统", "operating system"),
    "report": ("报告", "report"),
    "device_path": ("设备中的原始路径：`{path}`", "Path on the device: `{path}`"),
    "chat": ("会话“{title}”", "the chat '{title}'"),
    "calls": ("通话记录", "Call log"),
    "contacts": ("通讯录", "Contacts"),
    "calls_columns": (
        "时间,方向,状态,号码,姓名,时长,来源",
        "time,direction,status,number,name,duration,source",
    ),
    "contacts_columns": ("姓名,号码,来源", "name,numbers,source"),
    "taken": (
        "{what}由 UFDR 报告 report.xml 解析为 CSV（import）",
        "{what} parsed from the UFDR report.xml into CSV (import)",
    ),
    "taken_why": (
        "报告以 XML 记载；展示视图读取 CSV。report.xml 的 SHA-256 为 {sha256}",
        "the report records it as XML; the view reads CSV. report.xml SHA-256 {sha256}",
    ),
}
"""A UFDR report (presenter.importing.ufdr): also the words it writes into the items."""

WRITER_WORDS: dict[str, Words] = {
    "bad_id": (
        "牌组文件夹名“{name}”只能由小写字母、数字和“-”组成：请换一个名字",
        "the deck folder name '{name}' may only hold lowercase letters, digits and '-':"
        " choose another name",
    ),
    "nothing": (
        "“{name}”中没有可导入的内容：请确认选对了导出文件",
        "'{name}' holds nothing to import: check that this is the export you meant",
    ),
    "not_deck": (
        "“{path}”已存在，但不是牌组（没有 deck.toml）：请指定一个新的或已有的牌组文件夹",
        "'{path}' exists but is no deck (no deck.toml): name a new folder or an existing deck",
    ),
    "bad_deck": (
        "无法读取“{path}”：{detail}。请先用 check 修正该文件",
        "cannot read '{path}': {detail}. Fix it first (check shows where)",
    ),
    "mismatch": (
        "警告：{path} 的 {algorithm} 校验值与报告记载不一致（报告 {recorded}，实际 {found}）："
        "文件在提取后可能已被改动，请核查原始报告与介质",
        "WARNING: the {algorithm} of {path} differs from the report's (report {recorded},"
        " file {found}): the file may have changed since extraction; check the original"
        " report and medium",
    ),
    "case_title": ("案件名称", "the case's name"),
    "fact": ("待证事实：每项一条 [[fact]]", "a fact to prove: one [[fact]] each"),
    "type": ("电子数据类别（第27条）：{types}", "the Art. 27 category: {types}"),
    "no_view": (
        "没有视图能展示此类内容（{types}）：请转换格式，或改用 markdown 说明",
        "no view shows this content ({types}): convert it, or describe it in a markdown item",
    ),
    "method": (
        "收集方式（第28条）：seizure | onsite | online | freeze | retrieval",
        "how it was collected (Art. 28): seizure | onsite | online | freeze | retrieval",
    ),
    "shows": ("证明对象：证明哪一项待证事实，如何证明", "what it proves: which fact, and how"),
}
"""Writing the imported items into a deck (presenter.importing.writer): also the comments it
writes into the TOML."""
