"""A chat replayed step by step (聊天记录逐条展示): what the screens show before each step and
after it. The one rule that `check`, the screens' step data and the tests all read.

Before the first `messages` step the screens show the messages before that step's first
message, not the whole chat; each step reveals up to its last message (or the message whose
picture it shows large), and moving forward never hides a message already shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Step


@dataclass(frozen=True)
class ChatFrame:
    """What a chat shows at one step: messages 1..`shown` (None: the whole chat), the
    `newest` highlighted, the message whose picture is shown large and a callout on it."""

    shown: int | None
    newest: int | None = None
    attachment: int | None = None
    region: tuple[float, ...] | None = None


def chat_frames(steps: tuple[Step, ...] | list[Step]) -> list[ChatFrame]:
    """The frame before any step (index 0), then after each step (index n for step n)."""
    first = next((s for s in steps if s.messages is not None), None)
    before = None if first is None else min(a for a, _ in first.messages.spans) - 1  # type: ignore[union-attr]
    frames = [ChatFrame(before)]
    for step in steps:
        shown = frames[-1].shown
        reached = [n for n in (step.messages.last if step.messages else None, step.attachment) if n]
        if shown is not None and reached:
            shown = max(shown, *reached)
        newest = step.messages.last if step.messages is not None else step.attachment
        region = tuple(step.region) if step.region is not None else None
        frames.append(ChatFrame(shown, newest, step.attachment, region))
    return frames


def backwards(steps: tuple[Step, ...] | list[Step]) -> list[tuple[int, int]]:
    """The steps (0-based index) whose messages all come before what is already on the
    screens, with the number of messages shown by then: a step that would go back."""
    frames = chat_frames(steps)
    found = []
    for i, step in enumerate(steps):
        shown = frames[i].shown
        if step.messages is not None and shown is not None and step.messages.last < shown:
            found.append((i, shown))
    return found


def unchanged(steps: tuple[Step, ...] | list[Step]) -> list[int]:
    """The steps (0-based index) after which the screens show exactly what they showed
    before it."""
    frames = chat_frames(steps)
    return [i for i in range(len(steps)) if frames[i + 1] == frames[i]]
