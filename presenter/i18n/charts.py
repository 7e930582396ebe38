"""The words charts draw (presenter.charts): captions and hovers, in the deck's or the asked
language."""

from __future__ import annotations

from .words import Words

CHART_WORDS: dict[str, Words] = {
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
