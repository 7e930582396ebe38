"""Personal numbers kept off public screens in pictures and PDF pages (图像中个人号码的遮盖).

`detect` reads every picture and page a deck shows, offline and once per file, and proposes
a box for each resident ID, mobile and bank card number it finds; `decisions` keeps what
the presenter (or `check --redactions`) confirmed or dismissed. Importing this package loads
no recogniser: that runs in a child process (presenter.redaction.child).
"""

from .decisions import FILE, Decisions
from .detect import Proposal, Reading, detect_deck, detected, pending, reading, shown_pictures

__all__ = [
    "FILE",
    "Decisions",
    "Proposal",
    "Reading",
    "detect_deck",
    "detected",
    "pending",
    "reading",
    "shown_pictures",
]
