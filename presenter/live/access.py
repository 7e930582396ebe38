"""Who may connect, and as what: the three keys and the pairing of screens without a key.

The presenter key drives; the screen key follows and sees everything the court may see; the
public-screen key (旁听席) follows and gets personal numbers masked by the server. A screen
without a key shows a pairing code that the presenter approves as a court screen or as a
public one, or refuses. Nobody without a key can make the presenter's lists grow without
bound: pending codes are capped per client address and in all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..i18n import pick
from ..i18n.refusals import KEY_REFUSED

MIN_KEY_BITS = 128
"""A key must be able to carry this much randomness (LIVE-PROTOCOL: at least 128 bits)."""
MIN_GUESSES_LOG10 = 64 * math.log10(2)
"""A key the pattern-aware estimate guesses in fewer than 2^64 tries is refused."""
KEY_WORDS = [
    "shizheng", "presenter", "screen", "screens", "public", "gallery", "expert", "court",
    "key", "trial", "evidence", "fayuan", "jianchayuan", "gongsu", "zhongguo", "renmin",
    "pangting", "shiting", "demo", "test",
]  # fmt: skip
"""Words an attacker tries first for this application's keys."""
MIN_KEY_LENGTH = 22
"""Characters of a key: 22 URL-safe base64 characters carry 132 bits (at least 128)."""
KEY_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
KINDS = ("presenter", "screen", "public")
"""The three keys, in the order they are kept and printed."""
PAIRING_TTL = 600.0
"""Seconds a pairing code waits for the presenter's answer."""
PENDING_PER_ADDRESS = 4
"""Pending codes one client address may hold: a screen that reloads keeps its code (its
cookie), so only a flood needs more."""
PENDING_TOTAL = 32
"""Pending codes in all: far more screens than a courtroom has, far fewer than the 10⁶ codes
(so picking a free code always ends at once)."""
APPROVED_TTL = 24 * 3600.0
"""An approved pairing lasts the session, and never longer than a court day."""


def new_key() -> str:
    """A fresh random key of 128 bits or more."""
    return secrets.token_urlsafe(24)


def _write_private(path: Path, data: object) -> None:
    """Write a secret file readable by its owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
    os.replace(temp, path)


class KeyClash(ValueError):
    """Two of the keys given are the same: a screen would get a presenter's rights."""

    def __init__(self, kinds: list[str]) -> None:
        super().__init__("the presenter, screen and public-screen keys must all differ")
        self.kinds = kinds


def kept_keys(path: Path, given: dict[str, str | None] | None = None) -> dict[str, str]:
    """The presenter, screen and public-screen keys: those `given` (on the command line),
    else those kept in the instance folder, each made on first use (a folder kept by an older
    version gains the public key, the others stay). Raises KeyClash when two given keys are
    the same; a kept key equal to a given one is made anew.

    Keeping them means a restarted server lets its screens straight back in; they change
    only when the file is removed or other keys are given on the command line.
    """
    chosen = {kind: key for kind, key in (given or {}).items() if key}
    if len(set(chosen.values())) != len(chosen):
        raise KeyClash(sorted(chosen))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kept = {kind: str(data[kind]) for kind in KINDS if isinstance(data.get(kind), str)}
    except (OSError, ValueError, AttributeError):
        kept = {}
    kept = {kind: key for kind, key in kept.items() if not key_problem(key)}
    if len(set(kept.values())) != len(kept):
        kept = {}
    keys = {kind: kept.get(kind) or new_key() for kind in KINDS}
    for kind in KINDS:
        if kind not in chosen and keys[kind] in chosen.values():
            keys[kind] = new_key()
    if keys != kept:
        _write_private(path, keys)
    return keys | chosen


def key_problem(key: str, lang: str = "en") -> str | None:
    """Why a key given by the user is not acceptable, or None.

    A key must be able to hold 128 bits (its length times the bits of the character classes
    it uses), and an attacker who tries words, keyboard walks, sequences, repeats and dates
    first (zxcvbn's model of how people choose secrets) must still need 2^64 guesses or more:
    a random key of 22 characters is guessed only by brute force and passes; `aaaa…`,
    `abcd…`, `qwerty…` or a word said three times do not.
    """
    from zxcvbn import zxcvbn

    if not key or not set(key) <= KEY_ALPHABET:
        return pick(KEY_REFUSED["alphabet"], lang)
    pool = sum(
        size
        for chars, size in (
            ("abcdefghijklmnopqrstuvwxyz", 26),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26),
            ("0123456789", 10),
            ("-_", 2),
        )
        if set(key) & set(chars)
    )
    capacity = len(key) * math.log2(pool)
    guesses = zxcvbn(key[:100], user_inputs=KEY_WORDS)["guesses_log10"]
    weak = capacity < MIN_KEY_BITS or guesses < MIN_GUESSES_LOG10
    if len(key) < MIN_KEY_LENGTH or weak:
        return pick(KEY_REFUSED["weak"], lang).format(bits=MIN_KEY_BITS)
    return None


def cookie_names(folder: Path) -> dict[str, str]:
    """The cookies of one instance (its instance folder and deck): cookies ignore the port,
    so two servers on one machine must not read each other's."""
    tag = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:10]
    return {kind: f"shizheng_{kind}_{tag}" for kind in (*KINDS, "pair")}


class PairingRefused(Exception):
    """No new pairing code now (too many are waiting); `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Pairing:
    """A screen without a key asking to join: the code it shows and the secret it holds."""

    code: str
    token: str
    name: str
    address: str
    created: float
    status: str = "pending"  # pending | approved | refused
    public: bool = False
    """Approved as a public-gallery screen (旁听席): masked by the server."""
    approved: float = 0.0
    """Wall-clock time of the approval (an approval outlives a restart, not a court day)."""

    def public_view(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "status": self.status, "public": self.public}


Listener = Callable[[dict[str, Any]], None]
"""Told of each change to a pairing: the pairing as the presenter sees it."""


TICKET_AGE = 24 * 3600
"""Seconds a standby ticket opens another process's pages (a court day)."""


class PairingStore(Protocol):
    """Where pairings are kept when several processes serve one presentation (every call
    may raise the machine's Refused when it cannot be reached)."""

    def pairings(self) -> dict[str, dict[str, Any]]: ...

    def put_pairing(self, code: str, pairing: dict[str, Any]) -> None: ...

    def drop_pairing(self, code: str) -> None: ...


class Access:
    """The three keys and the pairings; answers "what kind of credential is this?"."""

    def __init__(
        self,
        keys: dict[str, str],
        clock: Callable[[], float] = time.monotonic,
        paired: Path | None = None,
        wall: Callable[[], float] = time.time,
        shared: PairingStore | None = None,
    ) -> None:
        if set(keys) != set(KINDS):
            raise ValueError("three keys: presenter, screen, public")
        if len(set(keys.values())) != len(KINDS):
            raise ValueError("the presenter, screen and public-screen keys must all differ")
        self.keys = dict(keys)
        self._clock = clock
        self._wall = wall
        self._lock = threading.Lock()
        self._pairings: dict[str, Pairing] = {}
        self._paired_path = paired
        self._listeners: list[Listener] = []
        self._shared = shared
        """With other processes: every pairing is read from and written to it, so a screen
        paired on one process is approved, refused or revoked from any other."""
        if shared is not None:
            self._clock = wall  # the processes' clocks compare: `created` is wall time
        self._load_paired()

    @property
    def presenter_key(self) -> str:
        return self.keys["presenter"]

    @property
    def screen_key(self) -> str:
        return self.keys["screen"]

    @property
    def public_key(self) -> str:
        return self.keys["public"]

    @property
    def expert_key(self) -> str:
        """The expert's key (技术人员, Art. 47 ¶1): opens the presenter view as the expert,
        who drives once handed control but never gets the presenter's notes, prepared
        responses or review. Derived from the presenter key, so it is kept and changed with
        it, and the presenter key cannot be learnt from it."""
        digest = hmac.new(self.keys["presenter"].encode(), b"shizheng-expert-key", "sha256")
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def is_expert(self, secret: str | None) -> bool:
        """Whether `secret` is the expert's key."""
        if not secret or not isinstance(secret, str):
            return False
        return hmac.compare_digest(secret.encode(), self.expert_key.encode())

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # --- tickets to the standby ------------------------------------------------------------

    def _tickets(self):
        from itsdangerous import URLSafeTimedSerializer

        secret = hashlib.sha256(b"peer-ticket:" + self.keys["presenter"].encode()).digest()
        return URLSafeTimedSerializer(secret, salt="shizheng-standby")

    def ticket(self, secret: str | None) -> str | None:
        """What a page connected with `secret` carries to another process of the same
        presentation, to be let in there as it was here (its kind of credential, and a
        pairing's own token): signed with a key derived from the presenter key, which every
        process shares, and good for a court day. None for a secret that opens nothing."""
        if self.is_expert(secret):
            return self._tickets().dumps({"c": "presenter", "e": 1})
        if self.is_key(secret):
            return self._tickets().dumps({"c": self.kind(secret)})
        pairing = self.pairing_of(secret)
        if pairing is not None and pairing.status == "approved":
            return self._tickets().dumps({"c": "pair", "t": pairing.token})
        return None

    def redeem(self, ticket: str) -> tuple[str, str] | None:
        """The cookie (its kind) and secret a ticket stands for; None for a ticket this
        presentation did not sign, one too old, or a pairing since revoked."""
        from itsdangerous import BadData

        try:
            payload = self._tickets().loads(ticket, max_age=TICKET_AGE)
        except BadData:
            return None
        cookie = payload.get("c") if isinstance(payload, dict) else None
        if cookie == "pair":
            token = payload.get("t")
            return ("pair", token) if self.kind(token) in ("screen", "public") else None
        if cookie == "presenter":
            return cookie, self.expert_key if payload.get("e") else self.presenter_key
        if cookie in ("screen", "public"):
            return cookie, self.keys[cookie]
        return None

    def _tell(self, changes: list[dict[str, Any]]) -> None:
        for change in changes:
            for listener in self._listeners:
                listener(change)

    # --- kept approvals --------------------------------------------------------------------

    def _load_paired(self) -> None:
        """Screens approved before a restart of this session come back without a new code."""
        if self._paired_path is None:
            return
        try:
            data = json.loads(self._paired_path.read_text(encoding="utf-8"))
            entries = data.items() if isinstance(data, dict) else ()
        except (OSError, ValueError):
            return
        now = self._wall()
        for token, entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
                continue  # written by an older version: approvals did not end then
            approved = float(entry.get("approved", 0))
            if not 0 <= now - approved <= APPROVED_TTL:
                continue
            code = entry["code"]
            self._pairings[code] = Pairing(
                code, str(token), str(entry.get("name", ""))[:60], "", 0.0, "approved",
                entry.get("public") is True, approved,
            )  # fmt: skip

    def _pull(self) -> None:
        """The pairings as the other processes left them (the caller holds the lock); the
        last ones known while they cannot be reached."""
        self._take(self._fetch())

    def _take(self, kept: dict[str, dict[str, Any]] | None) -> None:
        if kept is not None:
            self._pairings = {code: Pairing(**entry) for code, entry in kept.items()}

    def _fetch(self) -> dict[str, dict[str, Any]] | None:
        """The pairings the other processes left, or None (alone, or out of reach)."""
        from .machine import Refused

        if self._shared is None:
            return None
        try:
            return self._shared.pairings()
        except Refused:
            return None

    def _push(
        self, *pairings: Pairing, dropped: tuple[str, ...] = (), strict: bool = False
    ) -> None:
        """Pairings changed or dropped, to the other processes. `strict`: a presenter's
        decision, which must not be lost: raises Refused when they cannot be reached (and
        the caller changes nothing here); else kept here only."""
        from .machine import Refused

        if self._shared is None:
            return
        try:
            for pairing in pairings:
                self._shared.put_pairing(pairing.code, asdict(pairing))
            for code in dropped:
                self._shared.drop_pairing(code)
        except Refused:
            if strict:
                raise

    def republish(self) -> None:
        """The pairings this process knows, written again where the others read them (they
        were lost there)."""
        with self._lock:
            self._push(*self._pairings.values())

    def _save_paired(self) -> None:
        if self._paired_path is not None:
            approved = {
                p.token: {
                    "code": p.code,
                    "name": p.name,
                    "public": p.public,
                    "approved": p.approved,
                }
                for p in self._pairings.values()
                if p.status == "approved"
            }
            _write_private(self._paired_path, approved)

    def end_session(self) -> None:
        """The presentation ends: every approved pairing ends with it."""
        with self._lock:
            self._pull()
            ended = [p for p in self._pairings.values() if p.status == "approved"]
            for pairing in ended:
                del self._pairings[pairing.code]
            self._push(dropped=tuple(p.code for p in ended))
            self._save_paired()

    # --- credentials -----------------------------------------------------------------------

    def is_key(self, secret: str | None) -> bool:
        """Whether `secret` is one of the keys (not the expert's, not a pairing's token)."""
        if not secret or not isinstance(secret, str):
            return False
        return any(hmac.compare_digest(secret.encode(), key.encode()) for key in self.keys.values())

    def kind(self, secret: str | None) -> str | None:
        """'presenter', 'screen' or 'public' for a key or an approved pairing token; else None.
        The expert's key is a 'presenter' credential over HTTP (it opens the presenter's
        pages), which `is_expert` tells apart where the presenter's own data is at stake."""
        if not secret or not isinstance(secret, str):
            return None
        if self.is_expert(secret):
            return "presenter"
        for kind in KINDS:
            if hmac.compare_digest(secret.encode(), self.keys[kind].encode()):
                return kind
        pairing = self.pairing_of(secret)
        if pairing is not None and pairing.status == "approved":
            return "public" if pairing.public else "screen"
        return None

    def roles(self, secret: str | None) -> tuple[str, ...]:
        """The roles a client holding `secret` may take."""
        if self.is_expert(secret):
            return ("expert",)
        kind = self.kind(secret)
        if kind == "presenter":
            return ("presenter", "expert", "screen")
        return ("screen",) if kind in ("screen", "public") else ()

    def pairing_of(self, token: str | None) -> Pairing | None:
        """The pairing whose secret this is (approved or not), or None."""
        if not token or not isinstance(token, str):
            return None
        kept = self._fetch()  # read before the lock: screens joining at once do not queue
        with self._lock:
            self._take(kept)
            for pairing in self._pairings.values():
                if hmac.compare_digest(token.encode(), pairing.token.encode()):
                    return pairing
        return None

    # --- pairing ---------------------------------------------------------------------------

    def request_pairing(self, name: str, token: str | None, address: str) -> tuple[Pairing, bool]:
        """The pairing of a screen that holds `token`, or a new code for it: (pairing, new).
        Raises PairingRefused when the address or the court already has too many waiting."""
        known = self.pairing_of(token)
        if known is not None and known.status == "pending":
            return known, False
        changes: list[dict[str, Any]] = []
        with self._lock:
            self._pull()
            changes += self._expire()
            pending = [p for p in self._pairings.values() if p.status == "pending"]
            held = Counter(p.address for p in pending)
            if held[address] >= PENDING_PER_ADDRESS:
                raise PairingRefused("pairing_busy_here")
            if len(pending) >= PENDING_TOTAL:
                # the court is full: a new address takes the oldest code of the address that
                # holds most, so a few addresses cannot keep every screen out for ten minutes
                greediest, most = held.most_common(1)[0]
                if most <= held[address] + 1:
                    raise PairingRefused("pairing_busy")
                oldest = min(
                    (p for p in pending if p.address == greediest), key=lambda p: p.created
                )
                del self._pairings[oldest.code]
                self._push(dropped=(oldest.code,))
                changes.append({**oldest.public_view(), "status": "expired"})
            code = f"{secrets.randbelow(10**6):06d}"
            while code in self._pairings:  # at most PENDING_TOTAL + approved are taken
                code = f"{secrets.randbelow(10**6):06d}"
            pairing = Pairing(code, secrets.token_urlsafe(24), name[:60], address, self._clock())
            self._pairings[code] = pairing
            self._push(pairing)
            changes.append(pairing.public_view())
        self._tell(changes)
        return pairing, True

    def pairing_status(self, token: str | None) -> str | None:
        pairing = self.pairing_of(token)
        return pairing.status if pairing is not None else None

    def answer(self, code: str, approve: bool, public: bool = False) -> bool:
        """The presenter approves (as a court screen, or a public one) or refuses a pending
        code; False when there is none."""
        with self._lock:
            self._pull()
            changes = self._expire()
            pairing = self._pairings.get(code)
            done = pairing is not None and pairing.status == "pending"
            if pairing is not None and done:
                status = "approved" if approve else "refused"
                pairing = replace(
                    pairing, status=status, public=approve and public, approved=self._wall()
                )
                self._push(pairing, strict=True)
                self._pairings[code] = pairing
                if approve:
                    self._save_paired()
                changes.append(pairing.public_view())
        self._tell(changes)
        return done

    def refuse_all(self) -> int:
        """The presenter refuses every code still waiting (a flood, or screens not wanted);
        how many there were."""
        with self._lock:
            self._pull()
            waiting = [
                replace(p, status="refused")
                for p in self._pairings.values()
                if p.status == "pending"
            ]
            self._push(*waiting, strict=True)
            for pairing in waiting:
                self._pairings[pairing.code] = pairing
        self._tell([pairing.public_view() for pairing in waiting])
        return len(waiting)

    def revoke(self, code: str) -> Pairing | None:
        """The presenter withdraws an approved screen: its secret opens nothing from now on.
        The pairing that was revoked, or None."""
        with self._lock:
            self._pull()
            pairing = self._pairings.get(code)
            if pairing is None or pairing.status != "approved":
                return None
            self._push(dropped=(code,), strict=True)
            del self._pairings[code]
            self._save_paired()
        self._tell([{**pairing.public_view(), "status": "revoked"}])
        return pairing

    def pairings(self) -> list[dict[str, Any]]:
        """Pending and approved pairings, for the presenter's list."""
        with self._lock:
            self._pull()
            changes = self._expire()
            listed = [p.public_view() for p in self._pairings.values() if p.status != "refused"]
        self._tell(changes)
        return listed

    def _expire(self) -> list[dict[str, Any]]:
        """Forget unanswered and refused codes after their time; the changes to tell."""
        now, changes = self._clock(), []
        for code, pairing in list(self._pairings.items()):
            if pairing.status != "approved" and now - pairing.created > PAIRING_TTL:
                del self._pairings[code]
                self._push(dropped=(code,))
                if pairing.status == "pending":
                    changes.append({**pairing.public_view(), "status": "expired"})
        return changes


def editor_key(path: Path, given: str | None = None) -> str:
    """The deck editor's key: the one given, else the one kept at `path`, else a new one
    kept there (readable by its owner only)."""
    if given:
        return given
    try:
        kept = json.loads(path.read_text("utf-8")).get("editor")
    except (OSError, ValueError, AttributeError):
        kept = None
    if isinstance(kept, str) and len(kept) >= 22:
        return kept
    key = new_key()
    _write_private(path, {"editor": key})
    return key
