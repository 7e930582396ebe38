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
    # Art. 47(2): what an exhibit shows of a fact
    "aspect.means": ("犯罪手段", "crime methods"),
    "aspect.relationship": ("人员关系", "personnel relationships"),
    "aspect.funds": ("资金流向", "fund flows"),
    "aspect.trajectory": ("行为轨迹", "behaviour trajectories"),
    "aspect.identity": ("主体身份", "identity"),
    "aspect.other": ("其他", "other"),
    # Art. 47(3): the other evidence
    "kind.confession": ("被告人供述和辩解", "confession"),
    "kind.victim_statement": ("被害人陈述", "victim statement"),
    "kind.witness_testimony": ("证人证言", "witness testimony"),
    "kind.physical": ("物证", "physical evidence"),
    "kind.documentary": ("书证", "documentary evidence"),
    "kind.appraisal": ("鉴定意见", "expert opinion"),
    "kind.record": ("勘验、检查、辨认、侦查实验等笔录", "inspection record"),
    "kind.other": ("其他证据", "other evidence"),
    "electronic": ("电子数据", "electronic data"),
    "cited_by": ("印证本证据", "corroborates this exhibit"),
    "this_exhibit": ("本证据", "This exhibit"),
    # the source panel
    "source.collected_at": ("收集提取时间", "Collected at"),
    "source.collectors": ("收集提取人", "Collected by"),
    "source.witnesses": ("见证人", "Witnesses"),
    "source.holder": ("持有人", "Holder"),
    "source.location": ("地点", "Place"),
    "source.tool": ("取证工具", "Tool"),
    "source.documents": ("法律文书", "Documents"),
    "source.medium": ("原始存储介质", "Original medium"),
    "source.file": ("文件", "File"),
    "source.algorithm": ("算法", "Algorithm"),
    "source.hash": ("完整性校验值", "Integrity check value"),
    "source.change": ("增删改及说明", "Change"),
    "source.defect": ("瑕疵及补正", "Defect and remedy"),
    "source.unremedied": ("未补正", "not remedied"),
    "source.status": ("核验", "Check"),
    "source.match": ("一致", "matches"),
    "source.mismatch": ("不符", "DOES NOT MATCH"),
    "source.recorded": ("同步录音录像", "Recorded on video"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "file.size": ("大小（字节）", "Size (bytes)"),
    "file.modified": ("修改时间", "Modified"),
    "file.changed": ("变更时间", "Changed"),
    "file.accessed": ("访问时间", "Accessed"),
    # live presentation: presenter view, screens, pairing
    "presenter": ("公诉人控制台", "Presenter"),
    "screen": ("法庭屏幕", "Court screen"),
    "timer": ("计时（点击重新开始）", "Timer (click to restart)"),
    "online": ("已连接", "connected"),
    "offline": ("连接中断，正在重连……", "disconnected, reconnecting…"),
    "refused": ("密钥无效，已被拒绝", "refused: the key is not valid"),
    "unavailable": ("此证据当前不可展示", "this exhibit cannot be shown now"),
    "open_screen": ("打开法庭屏幕窗口", "Open a court screen window"),
    "panel.content": ("证据内容", "Content"),
    "panel.source": ("来源与形成", "Source and formation"),
    "panel.facts": ("证明事实", "Facts shown"),
    "panel.corroboration": ("相互印证", "Corroboration"),
    "blank.black": ("黑屏", "Black"),
    "page.previous": ("上一页", "Previous page"),
    "table.rows": ("共计行数", "Rows"),
    "media.play_pause": ("播放/暂停", "Play/pause"),
    "media.sound": ("声音", "Sound"),
    "media.sound_here": ("本机（公诉人）", "This machine (presenter)"),
    "table.total": ("合计", "Total"),
    "table.filter": ("筛选", "Filter"),
    "table.sorted": ("排序", "Sorted by"),
    "table.desc": ("降序", "descending"),
    "table.asc": ("升序", "ascending"),
    "table.original": ("原始顺序", "File order"),
    "table.clear": ("恢复原表", "Reset"),
    "chart.until": ("截至", "Up to"),
    "chart.fold": ("列出账户数", "Accounts named"),
    "chart.clear": ("全部显示", "Show all"),
    "chart.hint": (
        "点击账户或人员：聚焦；点击资金流：交易明细",
        "click an account or person to focus it, a flow to list its transactions",
    ),
    "table.range": ("时间范围", "Time range"),
    "verify.button": ("当庭核验", "Verify now"),
    "verify.running": ("正在核验", "Verifying"),
    "verify.recorded": ("记录值", "Recorded"),
    "verify.computed": ("当庭计算值", "Computed now"),
    "verify.match": ("完整性校验值一致", "The integrity check values match"),
    "verify.mismatch": (
        "完整性校验值不符：此证据暂不展示（第四十四条）",
        "The integrity check values DO NOT match: this exhibit is withheld (Art. 44)",
    ),
    "verify.confirmed": (
        "完整性校验值不符，经公诉人确认后展示",
        "The integrity check values do not match; shown on the presenter's confirmation",
    ),
    "verify.confirm": (
        "当庭核验不符。确认仍要展示此证据？此确认将写入记录。",
        "The live verification failed. Show this exhibit anyway? The confirmation is recorded.",
    ),
    "page.next": ("下一页", "Next page"),
    "blank.white": ("白屏", "White"),
    "next": ("下一项", "Next"),
    "next.end": ("（已是最后一项）", "(this is the last)"),
    "steps": ("演示步骤", "Steps"),
    "steps.start": ("开始", "Start"),
    "notes": ("备注（仅公诉人可见）", "Notes (presenter only)"),
    "notes.none": ("无备注", "No notes"),
    "challenges": ("质证应对（仅公诉人可见）", "Responses to challenges (presenter only)"),
    "challenges.none": ("未准备质证应对", "No prepared responses"),
    "ground.objectivity": ("客观性", "Objectivity"),
    "ground.legality": ("合法性", "Legality"),
    "ground.relevance": ("关联性", "Relevance"),
    "screens": ("已连接的屏幕", "Connected screens"),
    "screens.none": ("暂无屏幕连接", "No screen is connected"),
    "role.presenter": ("公诉人", "presenter"),
    "role.expert": ("技术人员", "expert"),
    "role.screen": ("屏幕", "screen"),
    "controller.presenter": ("公诉人操作中", "The presenter has control"),
    "controller.expert": ("技术人员操作中", "The expert has control"),
    "handover.to_expert": ("交由技术人员操作", "Hand over to the expert"),
    "handover.take_back": ("收回控制权", "Take back control"),
    "handover.hand_back": ("交还公诉人", "Hand back to the presenter"),
    "confirm.unverified": (
        "该证据的文件与记录的完整性校验值不符（第四十四条）。确认仍要在法庭屏幕上展示？此确认将写入记录。",
        "This exhibit's files do not match their recorded hash (Art. 44). Show it on the court"
        " screens anyway? The confirmation is recorded.",
    ),
    "confirm.excluded": (
        "该证据已被排除。确认仍要在法庭屏幕上展示？此确认将写入记录。",
        "This exhibit is excluded. Show it on the court screens anyway? The confirmation is"
        " recorded.",
    ),
    "unverified": ("校验不符", "hash mismatch"),
    "keys.hint": (
        "→ 空格 PageDown 下一步；← PageUp 上一步；Home/End 首项/末项；"
        "输入序号后回车跳转；B 黑屏，W 白屏（再按恢复）；C 质证应对",
        "→ Space PageDown next; ← PageUp back; Home/End first/last; type a number then Enter to"
        " jump; B black, W white (again to restore); C responses to challenges",
    ),
    "record": ("示证记录", "Record"),
    "screen.name_prompt": ("请为此屏幕命名", "Name this screen"),
    "screen.judge": ("审判席", "Judges"),
    "screen.defence": ("辩护席", "Defence"),
    "screen.public": ("旁听席", "Public gallery"),
    "screen.other": ("其他名称", "Another name"),
    "ok": ("确定", "OK"),
    "pairing.title": ("屏幕配对", "Pair this screen"),
    "pairing.explain": (
        "此屏幕尚未获准接入。请公诉人在控制台中核对并批准以下配对码：",
        "This screen is not admitted yet. The presenter approves this code in the presenter view:",
    ),
    "pairing.waiting": ("等待公诉人批准……", "Waiting for the presenter…"),
    "pairing.refused": ("配对被拒绝。", "The pairing was refused."),
    "pairing.approve": ("批准", "Approve"),
    "pairing.refuse": ("拒绝", "Refuse"),
    "welcome.links": (
        "请使用启动时打印的链接：公诉人链接打开控制台，屏幕链接打开法庭屏幕。",
        "Use the links printed at start-up: the presenter link opens the presenter view, the"
        " screen link a court screen.",
    ),
    "welcome.pair": (
        "没有链接？以配对码接入为法庭屏幕",
        "No link? Join as a court screen with a pairing code",
    ),
    "forbidden.title": ("无权访问", "Not allowed"),
    "forbidden.explain": (
        "此页面需要有效的链接。屏幕链接不能打开公诉人控制台。",
        "This page needs a valid link. A screen link never opens the presenter view.",
    ),
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
    # the case's fact–evidence matrix
    "case.matrix": ("证据链：待证事实与证据", "The evidence chain: facts and evidence"),
    "case.button": ("证据链", "Evidence chain"),
    "case.fact": ("待证事实", "Fact to prove"),
    "case.origins": ("独立来源", "Independent origins"),
    "case.lone": ("孤证", "孤证: one origin"),
    "case.lone_confession": ("孤证：仅有供述", "孤证: confession alone"),
    "case.unshown": ("无证据", "no evidence"),
    "case.shared": ("同一", "same "),
    "case.shared_serial": ("原始存储介质", "medium"),
    "case.shared_holder": ("持有人", "holder"),
    "case.show": ("在法庭屏幕显示", "Show on court screens"),
    "case.hide": ("法庭屏幕回到证据", "Back to the exhibit on screens"),
    "case.close": ("关闭", "Close"),
    "case.on_screens": ("法庭屏幕正在显示证据链", "The court screens show the evidence chain"),
    # the 证据目录 and the pre-trial bundle
    "catalogue.heading": ("证据目录", "Evidence catalogue"),
    "catalogue.number": ("序号", "No."),
    "catalogue.id": ("编号", "ID"),
    "catalogue.title": ("证据名称", "Evidence"),
    "catalogue.category": ("类别", "Category (Art. 27)"),
    "catalogue.method": ("收集方式", "Collection (Art. 28)"),
    "catalogue.source": ("证据来源（收集方式、时间、收集人）", "Source (how, when, by whom)"),
    "catalogue.proves": ("证明对象", "What it proves"),
    "catalogue.hash": ("完整性校验值", "Integrity check values"),
    "catalogue.no_hash": ("未记录", "none recorded"),
    "bundle.title": ("庭前会议证据材料", "Pre-trial meeting evidence"),
    "bundle.court": ("审理法院", "Court"),
    "bundle.charges": ("罪名", "Charges"),
    "bundle.defendants": ("被告人", "Defendants"),
    "bundle.facts": ("待证事实", "Facts to prove"),
    "bundle.matrix": ("证据链：待证事实与证据", "The evidence chain"),
    "bundle.index": ("目录", "Index"),
    "bundle.previous": ("上一项", "Previous"),
    "bundle.next": ("下一项", "Next"),
    "bundle.files": ("原始文件", "Original files"),
    "bundle.rows_shown": (
        "此处列出前 {shown} 行（共 {total} 行），完整数据见原始文件",
        "The first {shown} rows of {total}; the whole data is in the original file",
    ),
    "bundle.exported": ("导出时间", "Exported"),
    "bundle.downloads": ("证据目录文件", "Catalogue files"),
    "bundle.print": ("打印版", "Printable version"),
    "bundle.masked": (
        "本材料中的身份证号、手机号、银行卡号已部分遮蔽",
        "ID, mobile and card numbers in this material are partly masked",
    ),
}


def language(default: str) -> str:
    """`?lang=en` or `?lang=zh-CN` picks the language, else the deck's."""
    asked = request.args.get("lang", "")
    if asked in ("en", "zh-CN"):
        return asked
    return default


def pick(words: tuple[str, str], lang: str) -> str:
    return words[1] if lang == "en" else words[0]


def translator(lang: str):
    index = 1 if lang == "en" else 0

    def t(key: str) -> str:
        entry = STRINGS.get(key)
        return entry[index] if entry else key

    return t
