"""Prepared steps as data for the screens' JavaScript: what each step reveals or marks."""

from __future__ import annotations

from typing import Any

from ..deck import Exhibit
from ..deck.replay import chat_frames


def steps_json(exhibit: Exhibit) -> list[dict[str, Any]]:
    """One entry per `[[step]]`: ranges as [first, last] pairs, times as ISO text; for a
    chat, what the replay shows after the step (`shown`: up to which message, null for the
    whole chat; `newest`: the message highlighted; `attachment`: the picture shown large)."""
    steps = []
    frames = chat_frames(exhibit.steps) if exhibit.view == "chat" else []
    for n, step in enumerate(exhibit.steps, 1):
        entry: dict[str, Any] = {"label": step.label}
        if frames:
            entry |= {"shown": frames[n].shown, "newest": frames[n].newest}
        if step.attachment is not None:
            entry["attachment"] = step.attachment
        for key in ("messages", "rows", "lines"):
            value = getattr(step, key)
            if value is not None:
                entry[key] = [list(span) for span in value.spans]
        if step.region is not None:
            entry["region"] = list(step.region)
        if step.page is not None:
            entry["page"] = step.page
        if step.clip is not None:
            entry["clip"] = [step.clip.start, step.clip.end]
        if step.until is not None:
            entry["until"] = step.until.isoformat()
        if step.focus is not None:
            entry["focus"] = list(step.focus)
        steps.append(entry)
    return steps
