"""How every chart looks in court: a title, type readable across the room, a palette that
survives a projector (strong, distinct hues on white), and no toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import ChartView

from .. import formatting

PALETTE = ["#13294b", "#b22222", "#1f7a3a", "#c77700", "#5b2c83", "#00798c", "#8a5a00", "#444444"]
"""Dark, saturated colours that keep apart on a washed-out projector."""
DIM = "rgba(160, 160, 160, 0.18)"
BODY = 28
"""Type size of every label, in px of a court picture 1080 px high: the screens draw each
chart at that height and scale it (views/chart.js), so it reads as the text around it."""
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif", "size": BODY}
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
"""Plotly's config for every chart: the screens need neither the toolbar nor a mouse."""


def layout(caption: str, **more: object) -> dict:
    """The common layout: large type, white paper, and on top a caption saying what the
    chart shows now (the exhibit's own title stands above it on the screen already)."""
    return {
        "title": {"text": caption, "x": 0.01, "xanchor": "left", "font": {"size": 34}},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 60, "t": 90, "b": 60},
        "hoverlabel": {"font": {"size": BODY}},
        **more,
    }


WORDS: dict[str, tuple[str, str]] = {
    "until": (" · 截至 {moment}", " · up to {moment}"),
    "paid_out": ("被害人转出合计 {amount}", "Paid out by the victims: {amount}"),
    "flow": ("{source} → {target}：{count:,} 笔，合计 {amount}", "{source} → {target}: {count:,} "
             "transactions, {amount} in all"),
    "flow_net": ("{source} → {target}：{count:,} 笔，净额 {amount}（{source} → {target} "
                 "{paid_count:,} 笔 {paid}，{target} → {source} {returned_count:,} 笔 {returned}）",
                 "{source} → {target}: {count:,} transactions, {amount} net ({source} → "
                 "{target} {paid_count:,} for {paid}, {target} → {source} {returned_count:,} for "
                 "{returned})"),
    "flow_first": ("（列出前 {limit} 笔）", " (the first {limit} listed)"),
    "flow_hover": ("%{{customdata[1]}} 笔", "%{{customdata[1]}} transactions"),
    "node_hover": ("流入 %{{customdata[0]}}<br>流出 %{{customdata[1]}}",
                   "in %{{customdata[0]}}<br>out %{{customdata[1]}}"),
    "net_hover": ("净额：{source} → {target} {paid_count:,} 笔 {paid}，{target} → {source} "
                  "{returned_count:,} 笔 {returned}",
                  "net: {source} → {target} {paid_count:,} for {paid}, {target} → {source} "
                  "{returned_count:,} for {returned}"),
    "back_hover": ("↩ 回流：{target} 画在同列或左侧", "↩ back: {target} is drawn in the same "
                   "or an earlier column"),
    "back_node": ("↩ 流向 {account}（画在同列或左侧）的资金；流入、流出为该账户全部",
                  "↩ money to {account} (drawn in the same or an earlier column); in and out "
                  "are all of the account's"),
    "netted": ("双向往来按净额画出", "money both ways is drawn net"),
    "back": ("↩ {flows} 条回流（流向同列或左侧账户），净额 {amount}",
             "↩ {flows} flows back (to the same or an earlier column), {amount} net"),
    "hidden": ("另有 {flows:,} 条较小资金往来未画出（{count:,} 笔，净额 {amount}）",
               "{flows:,} smaller flows not drawn ({count:,} transactions, {amount} net)"),
    "notes": ("；", "; "),
    "people": ("{shown} 人", "{shown} people"),
    "people_most": ("关联最多的 {shown} 人（共 {total:,} 人）",
                    "the {shown} most connected of {total:,} people"),
    "relations": (" · {count} 条关系", " · {count} relations"),
    "contacts_hover": ("关联 %{{customdata}} 人", "%{{customdata}} contacts"),
    "relation_key": ("{mark}{relation}", "{mark} {relation}"),
    "relations_unnamed": ("（{count} 条未标名称）", " ({count} not named on the chart)"),
    "names_unwritten": (" · {count} 人未标姓名", " · {count} people not named on the chart"),
    "relation_hover": ("{a} — {b}：{relation}", "{a} — {b}: {relation}"),
    "weight_hover": ("<br>权重 {weight}", "<br>weight {weight}"),
    "role_hover": ("角色：{role}", "role: {role}"),
    "role_also": ("（另载：{others}）", " (also stated: {others})"),
    "tier_join": ("、", " / "),
    "tier_organiser": ("组织者", "organisers"),
    "tier_tech": ("技术", "technicians"),
    "tier_money": ("资金", "money"),
    "tier_line3": ("三线", "line 3"),
    "tier_line2": ("二线", "line 2"),
    "tier_line1": ("一线", "line 1"),
    "tier_agent": ("业务员", "agents"),
    "tier_cards": ("卡农", "card sellers"),
    "tier_mule": ("车手", "cash mules"),
    "tier_victim": ("被害人", "victims"),
    "tier_other": ("其他角色", "other roles"),
    "tier_unstated": ("角色未载", "role not stated"),
    "latest": ("最近 {count:,} 个 · ", "the latest {count:,} · "),
    "events": ("{shown:,} / {total:,} 个事件", "{shown:,} / {total:,} events"),
    "points": ("{shown:,} / {total:,} 个位置点", "{shown:,} / {total:,} places"),
    "timeline_latest": ("画出最近 {count:,} 个 · ", "the latest {count:,} drawn · "),
    "timeline_missing": ("（{count:,} 个缺时间或人员，未画出）",
                         " ({count:,} without a time or a person, not drawn)"),
    "timeline_going_on": ("（截至此时仍在持续）", " (still going on at this time)"),
    "path_thinned": (" · 路径按屏幕精度画 {drawn:,} 点", " · path drawn through {drawn:,}"),
    "dropped": (" · {count:,} 点时间或坐标无效未画", " · {count:,} with no valid time or "
                "place not drawn"),
    "converted": (" · 坐标由 {source} 换算为 {target}", " · {source} converted to {target}"),
    "no_map": (" · 底图无法显示", " · base map unavailable"),
    "map_credit": ("底图：{words}", "Map: {words}"),
    "earlier": ("…另有较早的 {count:,} 条见前面的步骤", "…{count:,} earlier ones: see the "
                "earlier steps"),
    "metres": ("{n} 米", "{n} m"),
    "kilometres": ("{n} 公里", "{n} km"),
}  # fmt: skip
"""A chart's own words (captions and hovers), in the deck's or the asked language."""


def say(view: ChartView, key: str, **values: object) -> str:
    zh, en = WORDS[key]
    return (en if view.lang == "en" else zh).format(**values)


def so_far(view: ChartView) -> str:
    """` · 截至 2026-03-08 12:00` when the chart shows data up to a time, else nothing."""
    if view.until is None:
        return ""
    return say(view, "until", moment=formatting.moment(view.until, zone(view), seconds=False))


def zone(view: ChartView):
    """The deck's time zone, as the chart reads times."""
    return formatting.zone(view.zone)


def yuan(amount: float, view: ChartView) -> str:
    """An amount as the court reads it (presenter.formatting): 386,000.00 元, in 万元 only
    where the amount column's name says so; in English, ¥386,000.00."""
    return formatting.amount(round(amount, 2), view.unit, view.lang)


def plain(text: object) -> str:
    """Deck text for Plotly, which reads `<b>`, `<a href>` and the like in any label: every
    tag is shown as text, never taken as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


LONG = 20
"""Characters of one word of a label beyond which only its ends are written."""


def stacked(text: object) -> str:
    """A node label for a narrow column: `plain`, each space-separated word on its own line,
    and a word longer than LONG (a wallet address, a hash) written by its ends, "TDEMO0…0001"
    (the full text is in the transactions and the hover)."""
    words = str(text).split()
    lines = [w if len(w) <= LONG else f"{w[:6]}…{w[-6:]}" for w in words]
    return "<br>".join(plain(line) for line in lines)
