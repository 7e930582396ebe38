"""Problems found in a deck: values with a location, reported together, in zh-CN or English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
LANGUAGES = ("zh-CN", "en")

# code -> (zh-CN, en); {placeholders} are filled from Problem.params.
MESSAGES: dict[str, tuple[str, str]] = {
    # reading files
    "deck_dir_missing": ("牌组文件夹不存在", "the deck folder does not exist"),
    "deck_toml_missing": ("缺少 deck.toml", "deck.toml is missing"),
    "bad_deck_id": (
        "牌组文件夹名“{name}”只能由小写字母、数字和“-”组成",
        "the deck folder name '{name}' may only hold lowercase letters, digits and '-'",
    ),
    "no_items": ("items/ 中没有任何 .md 证据项", "items/ holds no .md item"),
    "not_utf8": ("文件不是 UTF-8 编码", "the file is not UTF-8"),
    "toml_syntax": ("TOML 语法错误：{detail}", "TOML syntax error: {detail}"),
    "front_matter_open": (
        "文件必须以仅含“+++”的一行开头",
        "the file must begin with a line of exactly '+++'",
    ),
    "front_matter_unclosed": (
        "前置元数据没有以仅含“+++”的一行结束",
        "the front matter is not closed by a line of exactly '+++'",
    ),
    # blanks a person must fill in (a scaffold writes TODO)
    "todo": ("尚待填写（TODO）", "still to be filled in (TODO)"),
    # schema
    "unknown_key": ("未知的键", "unknown key"),
    "missing_key": ("缺少必填键", "required key missing"),
    "bad_value": (
        "未知的取值 {value}（应为其中之一：{expected}）",
        "unknown value {value} (expected one of: {expected})",
    ),
    "bad_type": ("类型错误：应为{expected_zh}", "wrong type: expected {expected_en}"),
    "bad_time": (
        "应为带时区偏移的时间（如 2024-03-05T14:30:00+08:00）或日期",
        "expected a datetime with offset (e.g. 2024-03-05T14:30:00+08:00) or a date",
    ),
    "bad_range": (
        '{value} 不是有效的范围（如 "3,7-9"，从 1 开始）',
        '{value} is not a range like "3,7-9" (1-based)',
    ),
    "bad_region": (
        "区域应为 [x, y, w, h]，各值在 0 到 1 之间，且 x+w、y+h 不大于 1",
        "a region is [x, y, w, h], each in 0..1, with x+w and y+h at most 1",
    ),
    "bad_clip": (
        '片段应为 ["HH:MM:SS", "HH:MM:SS"]，且开始早于结束',
        'a clip is ["HH:MM:SS", "HH:MM:SS"] with the start before the end',
    ),
    "bad_page": ("页码从 1 开始", "pages start at 1"),
    "bad_message": ("消息序号从 1 开始", "messages are numbered from 1"),
    "bad_timezone": (
        '{value} 不是时区（应为 UTC 偏移如 "+08:00"，或时区名如 "Asia/Shanghai"）',
        '{value} is not a time zone (a UTC offset like "+08:00", or a name like "Asia/Shanghai")',
    ),
    "bad_hex": ("校验值应为十六进制字符串", "the check value must be a hexadecimal string"),
    "bad_hex_length": (
        "{algorithm} 校验值应为 {length} 位十六进制，实际为 {actual} 位",
        "{algorithm} values have {length} hex digits, this one has {actual}",
    ),
    # ids and references
    "duplicate_id": (
        "编号“{id}”重复（已在 {other} 中使用）",
        "duplicate id '{id}' (already used in {other})",
    ),
    "unknown_fact": ("引用了不存在的待证事实“{id}”", "refers to an unknown fact '{id}'"),
    "unknown_reference": (
        "引用了不存在的证据或证据项“{id}”",
        "refers to an unknown evidence or item '{id}'",
    ),
    "self_reference": ("证据项不能与自身相互印证", "an item cannot corroborate itself"),
    "order_unknown": ("order 中的“{id}”不是任何证据项", "'{id}' in order is not an item"),
    "order_duplicate": ("order 中“{id}”出现了不止一次", "'{id}' appears more than once in order"),
    "order_missing": ("order 缺少证据项：{ids}", "order leaves out items: {ids}"),
    # files
    "path_absolute": ("路径“{path}”不能是绝对路径", "the path '{path}' must not be absolute"),
    "path_parent": ("路径“{path}”不能含有“..”", "the path '{path}' must not contain '..'"),
    "path_escapes": (
        "路径“{path}”经符号链接指向牌组文件夹之外",
        "the path '{path}' leads outside the deck folder through a symlink",
    ),
    "path_outside_files": (
        "“{path}”不在 files/ 文件夹中：证据文件须放在案卷的 files/ 下"
        "（items/ 与 deck.toml 含公诉人备注，不能作为证据文件）",
        "'{path}' is not in the files/ folder: exhibit files belong under the deck's files/"
        " (items/ and deck.toml hold the presenter's notes and are never exhibit files)",
    ),
    "file_missing": ("文件“{path}”不存在", "the file '{path}' does not exist"),
    "not_a_file": ("“{path}”不是普通文件", "'{path}' is not a regular file"),
    "duplicate_file": ("文件“{path}”列出了不止一次", "the file '{path}' is listed twice"),
    "wrong_extension": (
        "“{path}”不是 {view} 视图可展示的文件（应为 {expected}）",
        "'{path}' is not a file the {view} view shows (expected {expected})",
    ),
    "file_count": (
        "{view} 视图需要恰好一个 {expected} 文件",
        "the {view} view takes exactly one {expected} file",
    ),
    "markdown_files": (
        "markdown 视图不使用文件，内容即正文",
        "the markdown view takes no files: the body is the content",
    ),
    "unreadable": ("无法读取“{path}”：{detail}", "cannot read '{path}': {detail}"),
    # integrity
    "hash_file_not_listed": (
        "校验值对应的文件“{path}”不在本证据项的 files 中",
        "the hashed file '{path}' is not one of the item's files",
    ),
    "hash_mismatch": (
        "“{path}”的 {algorithm} 校验值不一致：记录值 {recorded}，计算值 {computed}",
        "the {algorithm} of '{path}' does not match: recorded {recorded}, computed {computed}",
    ),
    # views
    "chart_required": (
        "chart 视图须指明 chart（funds、network、timeline、trajectory）",
        "a chart item needs chart (funds, network, timeline or trajectory)",
    ),
    "key_not_for_view": ("{view} 视图不使用此键", "the {view} view does not take this key"),
    "unknown_language": ("未知的代码语言“{value}”", "unknown code language '{value}'"),
    "column_role_unknown": (
        "{view} 视图没有列角色“{role}”（可用：{allowed}）",
        "the {view} view has no column role '{role}' (roles: {allowed})",
    ),
    "transcript_not_listed": (
        "文字记录“{path}”不在本证据项的 files 中",
        "the transcript '{path}' is not one of the item's files",
    ),
    "transcript_kind": (
        "文字记录“{path}”应为 .srt、.vtt 或 .csv 文件",
        "the transcript '{path}' is not an .srt, .vtt or .csv file",
    ),
    "transcript_malformed": (
        "文字记录 {at} 无法读取：{detail_zh}",
        "the transcript {at} cannot be read: {detail_en}",
    ),
    "transcript_no_media": (
        "除文字记录外，{view} 视图还需要一个音视频文件",
        "besides its transcript, the {view} view needs a sound or video file",
    ),
    "csv_missing_column": (
        "“{path}”缺少列“{column}”（{role}）",
        "'{path}' has no column '{column}' (for {role})",
    ),
    "step_key_not_for_view": (
        "{view} 视图的步骤不能使用“{key}”（可用：{allowed}）",
        "a step of the {view} view cannot use '{key}' (it takes: {allowed})",
    ),
    "attachment_unlisted": (
        "“{path}”第 {row} 条消息的附件“{attachment}”不在本项目的 files 中",
        "message {row} of '{path}' has the attachment '{attachment}', which is not in files",
    ),
    "attachment_not_picture": (
        "第 {message} 条消息没有图片附件，不能放大展示",
        "message {message} has no picture attached to show large",
    ),
    "region_needs_attachment": (
        "chat 视图的 region 是放大附件图片上的标注，须与 attachment 同用",
        "on a chat step, region is a callout on a picture shown large: it needs attachment",
    ),
    "step_out_of_range": (
        "{key} = {value} 超出范围（共 {count} {unit_zh}）",
        "{key} = {value} is out of range (there are {count} {unit_en})",
    ),
    # warnings
    "no_shows": (
        "证据项没有 [[shows]]：未说明其证明的案件事实",
        "the item has no [[shows]]: it proves no fact",
    ),
    "fact_unshown": ("没有任何证据项证明待证事实“{id}”", "no item shows the fact '{id}'"),
    "fact_uncorroborated": (
        "孤证：待证事实“{id}”仅有一个独立来源（{item}），无其他来源印证",
        "孤证: the fact '{id}' rests on one independent origin ({item}) and nothing else",
    ),
    "fact_confession_only": (
        "孤证：待证事实“{id}”仅有被告人供述，没有其他证据",
        "孤证: the fact '{id}' rests on a confession alone, with no other evidence",
    ),
    "no_hash": (
        "证据项有文件但没有记录完整性校验值",
        "the item has files but no recorded check value",
    ),
    "defect_unremedied": ("瑕疵“{what}”未补正或说明", "the defect '{what}' has no remedy"),
    "csv_long_cell": (
        "“{path}”第 {row} 行“{column}”列有 {length} 字，屏幕上只显示前 {limit} 字"
        "（共 {cells} 个超长单元格）",
        "row {row} of '{path}' has {length} characters in '{column}'; screens show the first"
        " {limit} ({cells} such cells in all)",
    ),
    "transcript_long": (
        "文字记录“{path}”共 {cues} 行，屏幕上只显示前 {limit} 行",
        "the transcript '{path}' has {cues} lines; screens show the first {limit}",
    ),
    "transcript_long_line": (
        "文字记录“{path}”有 {lines} 行超过 {limit} 字，屏幕上将截断",
        "the transcript '{path}' has {lines} lines longer than {limit} characters; screens"
        " cut them",
    ),
    "chat_step_backwards": (
        "messages = {value} 回到了已显示的消息（此前已显示到第 {shown} 条）："
        "向前翻步不会隐藏已显示的消息",
        "messages = {value} goes back: messages up to {shown} are already on screen, and"
        " moving forward never hides them",
    ),
    "chat_step_unchanged": (
        "此步骤与上一步在屏幕上完全相同",
        "this step changes nothing on the screens: they show what the step before showed",
    ),
    "code_long_line": (
        "“{path}”第 {line} 行有 {length} 字，屏幕上只显示前 {limit} 字（共 {lines} 个超长行）",
        "line {line} of '{path}' has {length} characters; screens show the first {limit}"
        " ({lines} such lines in all)",
    ),
}

SUMMARY = ("{errors} 个错误，{warnings} 个警告", "{errors} {error_s}, {warnings} {warning_s}")


@dataclass(frozen=True)
class Problem:
    """One problem in a deck, where it is, and what it is (by message code)."""

    severity: Severity
    path: str
    code: str
    key: str = ""
    line: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    fallback: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, language: str = "zh-CN") -> str:
        templates = MESSAGES.get(self.code)
        if templates is None:
            return self.fallback or self.code
        return templates[_index(language)].format(**self.params)

    def render(self, language: str = "zh-CN") -> str:
        """`path:line: error: key: message`, or without `:line` where no line is known.

        The severity word stays English in both languages so that tools can match it.
        """
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {self.severity}: {key}{self.message(language)}"


def _index(language: str) -> int:
    return 1 if language.lower().startswith("en") else 0


def summary(problems: list[Problem], language: str = "zh-CN") -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return SUMMARY[_index(language)].format(
        errors=errors,
        warnings=warnings,
        error_s="error" if errors == 1 else "errors",
        warning_s="warning" if warnings == 1 else "warnings",
    )


def format_key(key: tuple[str | int, ...]) -> str:
    """('source', 'hash', 1, 'value') -> 'source.hash[1].value'."""
    text = ""
    for part in key:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def under_key(key: str, parent: str) -> bool:
    """Whether the formatted key `key` is `parent` or inside it."""
    return key == parent or key.startswith((parent + ".", parent + "["))


DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "view": ("files", "columns", "step", "chart", "language", "transcript"),
}
"""Keys whose problems wait while the key they depend on is still a TODO."""


def waiting_for_blanks(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """The problems, less those a TODO explains: any at or under a TODO's key, and warnings
    on an array entry (a fact, a [[shows]]) that still holds a TODO."""
    todos = [p for p in problems if p.code == "todo"]
    if not todos:
        return problems

    def explained(problem: Problem) -> bool:
        for todo in todos:
            if todo.path != problem.path or todo is problem:
                continue
            if under_key(problem.key, todo.key):
                return True
            if any(under_key(problem.key, k) for k in DEPENDS_ON.get(todo.key, ())):
                return True
            entry = todo.key[: todo.key.rfind("]") + 1]
            if entry and not problem.is_error and under_key(problem.key, entry):
                return True
        return False

    return tuple(p for p in problems if not explained(p))
