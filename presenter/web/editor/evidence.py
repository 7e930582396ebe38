"""Evidence added: each dropped file sent as it is, then added to the deck in a job (copied
and hashed in one read) whose progress the page asks for."""

from __future__ import annotations

import shutil

from flask import jsonify, request

from ...editor.store import Refused
from ..pages import no_store
from .base import answers, bp, lang, message, workspace


@bp.put("/api/decks/<deck_id>/uploads/<batch>")
@answers
def upload(deck_id: str, batch: str):
    """One dropped file, kept in a staging folder outside every deck until it is added."""
    workspace().stage(
        deck_id, batch, request.args.get("path", ""), request.stream,
        request.content_length or 0, request.args.get("modified", ""),
    )  # fmt: skip
    return jsonify({"stored": request.args.get("path", "")}), 201


@bp.post("/api/decks/<deck_id>/uploads/<batch>/import")
@answers
def import_upload(deck_id: str, batch: str):
    """Add what was staged: as `new` does, or (`export`) as `import` reads an export."""
    folder = workspace().staging(batch)
    if not folder.is_dir():
        raise Refused("bad_upload", name=batch)
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    name = data.get("name")
    name = name.strip()[:80] if isinstance(name, str) and name.strip() else "upload"
    job = workspace().start_import(deck_id, folder, name, lang(), bool(data.get("export")))
    return jsonify({"job": job}), 202


@bp.delete("/api/decks/<deck_id>/uploads/<batch>")
@answers
def drop_upload(deck_id: str, batch: str):
    shutil.rmtree(workspace().staging(batch), ignore_errors=True)
    return jsonify({"dropped": batch})


@bp.get("/api/jobs/<job_id>")
@answers
def job(job_id: str):
    found = workspace().jobs.get(job_id)
    if found is None:
        raise Refused("no_job")
    error = found.error and message("import_failed", lang(), detail=found.error)
    return no_store(
        jsonify(
            {
                "total": found.total,
                "done": found.done,
                "finished": found.finished,
                "added": found.added,
                "error": error,
                "notes": found.notes,
            }
        )
    )
