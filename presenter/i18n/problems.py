"""The words of a deck's problems (presenter.deck.problems): each message by its code, filled
from the problem's params; tomllib's errors and their usual causes; the schema's type names."""

from __future__ import annotations

from .words import Words

MESSAGES: dict[str, Words] = {
    # reading files
    "deck_dir_missing": ("牌组文件夹不存在", "the deck folder does not exist"),
    "deck_toml_missing": ("缺少 deck.toml", "deck.toml is missing"),
    "bad_deck_id": (
        "牌组文件夹名“{name}”只能由小写字母、数字和“-”组成",
        "the deck folder name '{name}' may only hold lowercase letters, digits and '-'",
    ),
    "no_items": ("items/ 中没有任何 .md 证据项", "items/ holds no .md item"),
    "item_misnamed": (
        "“{path}”不会被读取：证据项文件名须以小写的“.md”结尾。如它是证据项，请改名为“{fixed}”；"
        "否则请把它移出 items/ 文件夹",
        "'{path}' is not read: an item's file name must end in '.md' (lowercase). If it is an"
        " item, rename it '{fixed}'; if not, move it out of the items/ folder",
    ),
    "not_utf8": (
        "文件不是 UTF-8 编码，也无法识别其编码：请用文本编辑器另存为 UTF-8",
        "the file is not UTF-8, and its encoding is not recognised: save it again as UTF-8"
        " in a text editor",
    ),
    "encoding_not_utf8": (
        "文件是 {encoding} 编码，请另存为 UTF-8（记事本或 VS Code：另存为，编码选“UTF-8”）",
        "the file is in {encoding}, not UTF-8: save it again as UTF-8 (Notepad or VS Code:"
        " Save As, encoding 'UTF-8')",
    ),
    "toml_syntax": (
        "TOML 语法错误：{detail_zh}{hint_zh}",
        "TOML syntax error: {detail_en}{hint_en}",
    ),
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
    "unknown_key": (
        "未知的键：请检查拼写，或删除此键",
        "unknown key: check its spelling, or remove it",
    ),
    "unknown_key_close": (
        "未知的键 {name}，是否应为 {suggestion}？",
        "unknown key {name}: did you mean {suggestion}?",
    ),
    "key_elsewhere": (
        "{name} 不是{here_zh}的键，而是{there_zh}的键：TOML 中的键属于它上方最近的 [表] 标题，"
        "请把它移到{there_zh}",
        "{name} is not a key of {here_en} but of {there_en}: in TOML a key belongs to the"
        " nearest [table] header above it, so move it to {there_en}",
    ),
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
    "bad_seconds": (
        '时间应为秒数（如 12.5）或 "HH:MM:SS"，且不小于 0',
        'a time is seconds (like 12.5) or "HH:MM:SS", not below 0',
    ),
    "bad_message": ("消息序号从 1 开始", "messages are numbered from 1"),
    "bad_row": ("行号从 1 开始", "rows start at 1"),
    "bad_size": ("大小不能为负数", "a size is not negative"),
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
    "id_holds_number": (
        "编号“{id}”含有旁听席屏幕会遮蔽的号码（手机号、身份证号或银行卡号）：编号是页面与链接的名称，"
        "请改用不含号码的编号，如 E05",
        "the id '{id}' holds a number the public screen masks (a mobile, ID or card number):"
        " an id names pages and links; choose one without it, such as E05",
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
    "path_spelling": (
        '路径“{path}”应写作 "{fixed}"：路径用“/”分隔，不以“./”开头，不含“//”，首尾不留空格'
        "（路径是校验值和记录中的文件标识，check 不会自动改写）",
        "the path '{path}' must be written \"{fixed}\": deck paths are joined by '/', do not"
        " begin with './', hold no '//' and no space at either end (a path names the file in"
        " hashes and the record, so check never rewrites it)",
    ),
    "file_empty": (
        "文件“{path}”是空文件（0 字节）：请重新复制原始文件",
        "the file '{path}' is empty (0 bytes): copy it again from the original",
    ),
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
    "header_row_not_header": (
        "header_row = {row} 所指的行（{cells}）不是表头：请数一数原件中列名所在的行，从 1 数起",
        "header_row = {row} points at a row that is no header ({cells}): count the row of the"
        " column names in the original, from 1",
    ),
    "display_copy_failed": (
        "无法由原件“{path}”生成展示件：{detail_zh}。原件保持不变；请换用可展示的格式，或将其作为不展示的原件列出",
        "cannot make a display copy of the original '{path}': {detail_en}. The original is"
        " unchanged; provide a form the view can show, or list it as an original not shown",
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
    # a trajectory's base map (presenter.charts.basemap)
    "bad_degrees": (
        "应为以度表示的数字（如 114.30）",
        "expected a number of degrees (e.g. 114.30)",
    ),
    "map_not_for_chart": (
        "[map] 与 crs 只用于 trajectory（行为轨迹）图表",
        "[map] and crs are for trajectory charts only",
    ),
    "map_not_listed": (
        "底图“{path}”须列入本证据项的 files（以便计算校验值、核验并随案附上）",
        "the base map '{path}' must be one of the item's files (so it is hashed, verified and"
        " bundled)",
    ),
    "map_kind": (
        "底图须为以下格式之一：{suffixes}",
        "a base map must be one of: {suffixes}",
    ),
    "map_bounds_missing": (
        "图片底图须写明四边的经纬度（度）：west、south、east、north",
        "a picture base map needs the degrees of its four edges: west, south, east, north",
    ),
    "map_bounds_bad": (
        "底图四边的经纬度有误（west {west}、south {south}、east {east}、north {north}）：须 west <"
        " east（在 −180 与 180 之间），south < north（在 −85 与 85 之间）",
        "the base map's edges are wrong (west {west}, south {south}, east {east}, north"
        " {north}): west < east (between −180 and 180) and south < north (between −85 and 85)"
        " are needed",
    ),
    "map_bounds_not_for_tiles": (
        "瓦片包自带位置，不用 west、south、east、north：请删去这些键",
        "a tile archive knows its own place: remove west, south, east and north",
    ),
    "map_unreadable": (
        "无法读取底图“{path}”：{detail}",
        "cannot read the base map '{path}': {detail}",
    ),
    "map_too_large": (
        "底图“{path}”像素过多（超过 {limit} 像素，可能是解压炸弹）：请缩小后再用",
        "the base map '{path}' has too many pixels (more than {limit}; perhaps a decompression"
        " bomb): make it smaller",
    ),
    "map_too_many_tiles": (
        "瓦片包“{path}”有 {count} 个瓦片（上限 {limit}）：请只导出案件所在的区域",
        "the tile archive '{path}' holds {count} tiles (at most {limit}): export only the"
        " case's area",
    ),
    "map_vector": (
        "瓦片包“{path}”是矢量瓦片（{format}），本软件只能画栅格瓦片：请用制图工具导出 PNG、JPEG"
        " 或 WebP 栅格瓦片包",
        "the tile archive '{path}' holds vector tiles ({format}), and only raster tiles are"
        " drawn: export a raster (PNG, JPEG or WebP) archive with your map tool",
    ),
    "map_frame_tiles": (
        "整条轨迹在瓦片包“{path}”最粗的缩放级别（{zoom}）上需要 {count} 个瓦片（上限"
        " {limit}）：请在瓦片包中加入更粗的缩放级别",
        "the whole trajectory needs {count} tiles of '{path}' at its coarsest zoom ({zoom}; at"
        " most {limit}): add coarser zoom levels to the archive",
    ),
    "map_misses_trajectory": (
        "轨迹的 {count} 个点全都不在底图“{path}”上：请核对底图四边的经纬度（west、south、east、"
        "north）、底图的 crs 与本证据项的 crs，或删去 [map]",
        "none of the trajectory's {count} points lies on the base map '{path}': check the map's"
        " edges (west, south, east, north), its crs and the item's crs, or remove [map]",
    ),
    "map_tiles_unreadable": (
        "瓦片包“{path}”在轨迹范围内有 {count} 个瓦片不是图片（PNG、JPEG 或 WebP），那里显示为空白："
        "请用制图工具重新导出",
        "{count} tiles of '{path}' within the trajectory's frame are not pictures (PNG, JPEG or"
        " WebP) and are drawn blank: export the archive again with your map tool",
    ),
    "trajectory_rows_dropped": (
        "“{path}”有 {count} 行的时间或经纬度无法读取，轨迹中不画出（如第 {row} 行：时间“{time}”，"
        "纬度“{lat}”，经度“{lon}”）：时间请写作 2026-03-08 09:51:00 或 2026-03-08T09:51:00+08:00，"
        "经纬度请写作十进制度数（如 30.5512，而非 30°33′04″N）",
        "{count} rows of '{path}' have a time or coordinates that cannot be read and are left off"
        " the trajectory (e.g. row {row}: time '{time}', lat '{lat}', lon '{lon}'): write times"
        " as 2026-03-08 09:51:00 or 2026-03-08T09:51:00+08:00, and coordinates as decimal degrees"
        " (30.5512, not 30°33′04″N)",
    ),
    "map_off_trajectory": (
        "轨迹有 {count} 个点在底图“{path}”的范围之外，其下方没有街道",
        "{count} points of the trajectory lie outside the base map '{path}': no streets under them",
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
    "clip_beyond_media": (
        "片段结束于 {end}，超出了“{path}”的长度 {length}：请核对时间",
        "the clip ends at {end}, after the end of '{path}' ({length} long): check the times",
    ),
    # times
    "collected_in_future": (
        "取证时间 {value} 晚于现在（{now}）：请核对年、月、日",
        "collected_at {value} is later than now ({now}): check the year, month and day",
    ),
    # items of several files: a step's `file`
    "step_file_unknown": (
        "步骤的 file“{name}”不是本证据项的文件（写 files 中的路径或文件名）",
        "the step's file '{name}' is none of the item's files (write its path in files, or"
        " its file name)",
    ),
    "step_file_ambiguous": (
        "文件名“{name}”对应多个文件（{paths}），请写出完整路径",
        "the file name '{name}' names several files ({paths}): write the path",
    ),
    "step_out_of_range_in_file": (
        "{key} = {value} 超出“{path}”的范围（共 {count} {unit_zh}）",
        "{key} = {value} is out of range of '{path}' (it has {count} {unit_en})",
    ),
    # regions kept from the public screen: [[redact]]
    "redact_no_pixels": (
        "[[redact]] 遮蔽的是图片、PDF 页面和视频（及聊天中的图片、视频附件），"
        "本 {view} 证据项没有这样的文件（文字中的证件号、手机号、银行卡号在旁听席屏幕上自动遮盖）",
        "[[redact]] covers pictures, PDF pages and videos (and a chat's picture and video"
        " attachments); this {view} item has none (numbers in text are masked on the public"
        " screen already)",
    ),
    "redact_file_needed": (
        "本证据项有多个可遮蔽的文件（{paths}），请用 file 指明遮蔽哪一个",
        "the item has several files to redact ({paths}): say which with `file`",
    ),
    "redact_file_unknown": (
        "file“{name}”不是本证据项的文件（写 files 中的路径或文件名）",
        "the file '{name}' is none of the item's files (write its path in files, or its file name)",
    ),
    "redact_file_no_pixels": (
        "“{name}”不是本证据项在屏幕上展示的图片、PDF 或视频，无从遮蔽",
        "'{name}' is no picture, PDF or video the item shows on a screen: nothing to redact",
    ),
    "redact_time_not_video": (
        "from 与 to 只用于视频，“{path}”不是视频",
        "`from` and `to` are for a video; '{path}' is none",
    ),
    "redact_time_order": (
        "遮蔽时段的开始（from，{start}）须早于结束（to，{end}）",
        "the redaction's start (from, {start}) must come before its end (to, {end})",
    ),
    "redact_after_media": (
        "遮蔽开始于 {start}，晚于“{path}”的结束（长 {length}），不会遮住任何画面：请核对时间",
        "the redaction starts at {start}, after the end of '{path}' ({length} long), so it"
        " covers nothing: check the times",
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
    # tables as banks and platforms deliver them (a statement's header row, sheet, amounts)
    "header_row_beyond": (
        "header_row = {row} 超出“{path}”的行数（共 {rows} 行）",
        "header_row = {row} is beyond the rows of '{path}' ({rows})",
    ),
    "sheet_not_found": (
        "“{path}”中没有工作表“{sheet}”（共有：{sheets}）",
        "'{path}' has no sheet '{sheet}' (it has: {sheets})",
    ),
    "sheet_not_workbook": (
        "“{path}”不是工作簿：sheet 只用于 XLSX、XLS、ODS",
        "'{path}' is no workbook: `sheet` is for XLSX, XLS and ODS",
    ),
    "amount_unreadable": (
        "“{path}”第 {row} 行“{column}”列的“{cell}”不是金额，不计入合计与排序（共 {cells} 处）",
        "row {row} of '{path}' holds '{cell}' in '{column}', which is no amount: left out of"
        " the totals and the sort ({cells} such cells in all)",
    ),
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
    "funds_focus_unchanged": (
        "第 {number} 步的 focus {names} 点亮了全部资金流，画面与未聚焦时相同；请改为聚焦只有部分"
        "资金流经过的账户（如某一被害人或某一出口），或删去此步骤",
        "step {number}: focus {names} lights every fund flow, so the screens show what they"
        " show without it; focus an account only some of the flows pass through (a victim, an"
        " exit), or remove the step",
    ),
    "code_long_line": (
        "“{path}”第 {line} 行有 {length} 字，屏幕上只显示前 {limit} 字（共 {lines} 个超长行）",
        "line {line} of '{path}' has {length} characters; screens show the first {limit}"
        " ({lines} such lines in all)",
    ),
}
"""A problem's message by its code; `{placeholders}` are filled from Problem.params."""

TOML_ERRORS: tuple[tuple[str, Words], ...] = (
    ("Invalid value", ("无法识别的值", "this is not a value")),
    ("Expected '=' after a key", ("键的后面应是“=”", "expected '=' after the key")),
    ("Unclosed array", ("数组没有以“]”结束", "the array is not closed by ']'")),
    ("Unclosed inline table", ("内联表没有以“}}”结束", "the inline table is not closed by '}}'")),
    (
        "Expected newline or end of document",
        ("值的后面还有多余的内容", "there is more after the value"),
    ),
    ("Invalid date or datetime", ("没有这个日期或时间", "no such date or time")),
    ("Malformed date", ("日期或时间的写法不对", "a date or time not written as TOML writes it")),
    (
        "Illegal character '\\n'",
        ("字符串到行尾仍未结束", "the string is still open at the line's end"),
    ),
    ("Illegal character", ("字符串中有不允许的控制字符", "the string holds a control character")),
    ("Unterminated string", ("字符串到文件末尾仍未结束", "the string is still open at the end")),
    ("Expected ']' at", ("表头没有以“]”结束", "the table header is not closed by ']'")),
    (
        "Expected ']]' at",
        ("表数组的标题没有以“]]”结束", "the [[table]] header is not closed by ']]'"),
    ),
    ("Expected", ("字符串到文件末尾仍未结束", "the string is still open at the end")),
    ("Unescaped '\\'", ("字符串中有未转义的反斜杠“\\”", "a backslash '\\' in a string")),
    ("Invalid hex value", ("字符串中有无效的“\\”转义", "an invalid '\\' escape in a string")),
    ("Escaped character", ("字符串中有无效的“\\”转义", "an invalid '\\' escape in a string")),
    ("Cannot overwrite a value", ("同一个键写了两次", "a key is written twice")),
    ("Duplicate inline table key", ("同一个键写了两次", "a key is written twice")),
    ("Cannot declare", ("同一个表写了两次", "a table is declared twice")),
    (
        "Cannot mutate",
        ("这个表已写完，不能再添加键", "this table is complete and takes no more keys"),
    ),
    (
        "Cannot redefine",
        ("这个表已写完，不能再添加键", "this table is complete and takes no more keys"),
    ),
    ("Invalid initial character for a key", ("此处应是键名", "a key was expected here")),
    ("Invalid statement", ("应为“键 = 值”或 [表]", "expected 'key = value' or a [table]")),
    ("Found invalid character", ("有不允许的字符", "a character that is not allowed")),
    (
        "arrays or tables nested",
        (
            "数组或表嵌套过深（超过 {depth} 层）",
            "arrays or tables nested too deep (more than {depth} levels)",
        ),
    ),
)
"""tomllib's messages, by their beginning (the first that fits), in both languages; `{depth}` is
how deep arrays and tables may nest."""

TOML_HINTS: dict[str, Words] = {
    "curly_quotes": (
        '引号须用英文引号“"”，不能用中文引号“ ” ‘ ’',
        "quotes must be ASCII quotes '\"', not curly “ ” ‘ ’",
    ),
    "fullwidth_comma": (
        "逗号须用英文逗号“,”，不能用中文逗号“，”",
        "commas must be ASCII ',', not the full-width '，'",
    ),
    "fullwidth_equals": (
        "等号须用英文等号“=”，不能用全角“＝”",
        "the equals sign must be ASCII '=', not the full-width '＝'",
    ),
    "fullwidth_brackets": (
        "括号须用英文“[ ]”“{{ }}”，不能用“【】”“［］”“｛｝”",
        "brackets must be ASCII '[ ]' and '{{ }}', not '【】', '［］' or '｛｝'",
    ),
    "odd_space": (
        "第 {column} 列有全角空格或不换行空格（看上去与普通空格一样）：请删掉它，重新输入普通空格",
        "column {column} holds a full-width or non-breaking space (it looks like an ordinary"
        " one): delete it and type an ordinary space",
    ),
    "colon": (
        "键与值之间用等号“=”连接，不用冒号“:”或“：”",
        "a key and its value are joined by '=', not by a colon",
    ),
    "needs_equals": ("键与值之间须有等号“=”", "a key and its value must be joined by '='"),
    "unquoted_string": (
        "文字须放在英文双引号中",
        "text must be in double quotes",
    ),
    "bad_date": (
        "日期写作 {fixed}：年-月-日，月和日各两位数字，用“-”连接",
        "write the date {fixed}: year-month-day, two digits each for month and day, joined by '-'",
    ),
    "time_needs_seconds": (
        "时间须写到秒：{fixed}",
        "a time needs its seconds: {fixed}",
    ),
    "no_such_date": (
        "{value} 不是存在的日期或时间（月 01–12，日在该月之内，时 00–23，分、秒 00–59）",
        "{value} is no real date or time (months 01-12, days within the month, hours 00-23,"
        " minutes and seconds 00-59)",
    ),
    "unclosed_string": (
        "字符串缺少结尾的引号 {quote}",
        "the string lacks its closing quote {quote}",
    ),
    "unclosed_array": (
        "数组的各项之间用英文逗号“,”分隔，最后以“]”结束",
        "separate an array's entries with ASCII commas ',' and close it with ']'",
    ),
    "unclosed_inline": (
        "{{ }} 中的表须在同一行内写完并以“}}”结束，最后一项后不加逗号",
        "a table in {{ }} must end with '}}' on the same line, with no comma after its last entry",
    ),
    "unclosed_header": (
        "表的标题写作 [source]，可重复的条目写作 [[step]]",
        "a table's header is written [source], a repeated entry [[step]]",
    ),
    "backslash": (
        "路径用“/”分隔，不用“\\”（在双引号中“\\”是转义符）",
        "paths are joined by '/', not '\\' (in double quotes '\\' starts an escape)",
    ),
    "duplicate_table": (
        "同一个 [表] 只能写一次；要写多个条目（如多个步骤），请用双方括号，如 [[step]]",
        "a [table] is written once; for several entries (several steps) use double brackets,"
        " as in [[step]]",
    ),
    "duplicate_key": (
        "“{name}”在同一个表中写了两次：请删去一个",
        "'{name}' is written twice in one table: remove one",
    ),
    "chinese_key": (
        "键名用英文字母、数字、“_”或“-”（如 title），不能用中文",
        "key names are ASCII letters, digits, '_' or '-' (like title)",
    ),
    "one_statement": (
        "一行只写一个“键 = 值”；值后的说明请以“#”开头，写成注释",
        "one 'key = value' per line; a remark after the value must begin with '#'",
    ),
    "write_as": ("应写作：{fixed}", "write it as: {fixed}"),
}
"""The usual causes of a TOML syntax error, seen on its line (presenter.deck.toml_lines)."""

SUMMARY: Words = (
    "{errors} 个错误，{warnings} 个警告",
    "{errors} {error_s}, {warnings} {warning_s}",
)
"""The last line of a report: how many errors and warnings."""

TYPE_NAMES: dict[str, Words] = {
    "string": ("字符串", "a string"),
    "int": ("整数", "an integer"),
    "float": ("数字", "a number"),
    "bool": ("true 或 false", "true or false"),
    "tuple": ("数组", "an array"),
    "list": ("数组", "an array"),
    "dict": ("表", "a table"),
    "dataclass": ("表", "a table"),
    "model": ("表", "a table"),
    "datetime": ("时间", "a datetime"),
    "date": ("日期", "a date"),
}
"""What a value of the wrong type should have been, by pydantic's type name (`bad_type`)."""
