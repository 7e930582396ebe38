"""The editor over HTTP: its own key, a CSRF token on every write, nothing outside the decks'
folder read or written, edits that lose nothing, and evidence added by upload."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from presenter import create_editor
from presenter.editor import schema
from presenter.i18n.editor import EDITOR_MESSAGES, EDITOR_WORDS, FIELD_HELP, FIELD_LABELS
from presenter.web.editor import COOKIE, csrf_token

from .conftest import DEMO_DECK, wait_until

KEY = "Yp4Kq9Zt2Wm7Rb5Xs8Lc3Vn6"


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    root = tmp_path / "decks"
    shutil.copytree(DEMO_DECK, root / "demo")
    return root


@pytest.fixture
def editor(decks: Path, instance: Path):
    return create_editor(decks, instance_path=instance, key=KEY)


@pytest.fixture
def client(editor):
    client = editor.test_client()
    client.get(f"/?key={KEY}")
    with editor.test_request_context():
        client.token = csrf_token()  # type: ignore[attr-defined]
    return client


def write(client, path: str, body: dict | None = None, method: str = "POST", **headers):
    headers.setdefault("X-CSRF-Token", client.token)
    return client.open(path, method=method, json=body, headers=headers)


def test_the_editor_opens_only_with_its_own_key_kept_in_a_strict_cookie(editor) -> None:
    anyone = editor.test_client()
    assert anyone.get("/").status_code == 401
    assert anyone.get("/api/decks").status_code == 403
    assert anyone.get("/?key=" + "Z" * 24).status_code == 403
    landed = anyone.get(f"/deck/demo?key={KEY}")
    assert landed.status_code == 303 and landed.headers["Location"] == "/deck/demo"
    cookie = landed.headers["Set-Cookie"]
    assert f"{COOKIE}={KEY}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = anyone.get("/deck/demo")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    assert b"<script>" not in page.data  # data as JSON, behaviour in files


def test_a_write_without_the_pages_token_or_from_another_origin_is_refused(client, decks):
    before = (decks / "demo" / "deck.toml").read_bytes()
    version = hashlib.sha256(before).hexdigest()
    edit = {"file": "deck.toml", "base": version,
            "edits": [{"op": "set", "path": ["case", "court"], "value": "X"}]}  # fmt: skip
    assert write(client, "/api/decks/demo/edit", edit, **{"X-CSRF-Token": ""}).status_code == 403
    assert (
        write(client, "/api/decks/demo/edit", edit, **{"X-CSRF-Token": "0" * 64}).status_code == 403
    )
    other = write(client, "/api/decks/demo/edit", edit, Origin="http://evil.example")
    assert other.status_code == 403 and other.json["error"] == "csrf"
    assert (decks / "demo" / "deck.toml").read_bytes() == before
    assert write(client, "/api/decks/demo/edit", edit, Origin="http://localhost").status_code == 200
    assert 'court = "X"' in (decks / "demo" / "deck.toml").read_text("utf-8")


def test_a_request_for_another_host_is_refused_before_the_editor_sees_it(client) -> None:
    assert client.get("/api/decks", headers={"Host": "evil.example"}).status_code == 421


def test_the_edit_command_listens_on_this_machine_only_unless_told(cli) -> None:
    from presenter.cli import edit_command

    host = next(p for p in edit_command.params if p.name == "host")
    assert host.default == "127.0.0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/api/decks/demo/text?file=../../../etc/passwd",
        "/api/decks/demo/text?file=items/../../secret.md",
        "/api/decks/demo/text?file=items/link.md",
        "/api/decks/demo/text?file=files/wechat.csv",
        "/api/decks/linked/text?file=deck.toml",
        "/api/decks/..%2f..%2f/text?file=deck.toml",
        "/api/decks/%2e%2e/text?file=deck.toml",
    ],
)
def test_no_path_outside_a_decks_text_can_be_read(client, decks, tmp_path, path) -> None:
    (tmp_path / "secret.md").write_text("+++\nsecret = 1\n+++\n", "utf-8")
    (decks / "demo" / "items" / "link.md").symlink_to(tmp_path / "secret.md")
    (decks / "linked").symlink_to(decks / "demo")
    answer = client.get(path)
    assert answer.status_code in (400, 404)
    assert b"secret = 1" not in answer.data and b"root:" not in answer.data


def test_no_path_outside_a_decks_text_can_be_written(client, decks, tmp_path) -> None:
    target = tmp_path / "outside.md"
    target.write_text("mine", "utf-8")
    (decks / "demo" / "items" / "link.md").symlink_to(target)
    for name in ["../outside.md", "items/link.md", "items/../../outside.md", "/tmp/x.md"]:
        answer = write(client, "/api/decks/demo/replace", {"file": name, "base": None, "text": "x"})
        assert answer.status_code == 400, name
    answer = write(client, "/api/decks/demo/items/remove", {"file": "items/link.md", "base": ""})
    assert answer.status_code == 400
    assert target.read_text("utf-8") == "mine"
    made = write(client, "/api/decks", {"id": "../evil", "title": "x"})
    assert made.status_code == 400 and not (decks.parent / "evil").exists()


@pytest.mark.parametrize(
    "name", ["../../evil.txt", "/etc/evil", "a/../../evil", ".hidden", "a\\..\\evil", "a/./b", ""]
)
def test_an_uploaded_files_name_cannot_leave_its_staging_folder(client, instance, name) -> None:
    answer = write(
        client, f"/api/decks/demo/uploads/batch0001?path={name}", method="PUT",
        **{"Content-Type": "application/octet-stream"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert not list(instance.parent.rglob("evil*"))


def test_an_edit_made_on_a_file_changed_on_disk_is_refused_and_shows_the_disk(client, decks):
    deck = client.get("/api/decks/demo").json
    version = deck["deck"]["version"]
    path = decks / "demo" / "deck.toml"
    by_hand = path.read_text("utf-8").replace("某市某区人民法院", "某市某县人民法院")
    path.write_text(by_hand, "utf-8")
    edit = {"file": "deck.toml", "base": version,
            "edits": [{"op": "set", "path": ["case", "number"], "value": "新案号"}]}  # fmt: skip
    answer = write(client, "/api/decks/demo/edit", edit)
    assert answer.status_code == 409
    assert answer.json["current"]["text"] == by_hand
    assert "已被修改" in answer.json["message"]
    assert path.read_text("utf-8") == by_hand
    # the person chose to make the edit on the file as it is now: both changes stay
    edit["base"] = answer.json["current"]["version"]
    assert write(client, "/api/decks/demo/edit", edit).status_code == 200
    text = path.read_text("utf-8")
    assert "某市某县人民法院" in text and 'number = "新案号"' in text


def test_undo_gives_back_the_file_byte_for_byte(client, decks) -> None:
    path = decks / "demo" / "items" / "e02-recruit-ad.md"
    before = path.read_bytes()
    item = next(
        i
        for i in client.get("/api/decks/demo").json["items"]
        if i["name"].endswith("e02-recruit-ad.md")
    )
    step = {"label": "新步骤", "region": [0.1, 0.1, 0.5, 0.5]}
    done = write(client, "/api/decks/demo/edit", {
        "file": item["name"], "base": item["version"],
        "edits": [{"op": "add", "path": ["step"], "value": step}],
    })  # fmt: skip
    assert done.status_code == 200 and b'[[step]]\nlabel = "\xe6\x96\xb0' in path.read_bytes()
    undone = write(client, "/api/decks/demo/replace", {
        "file": item["name"], "base": done.json["version"], "text": done.json["before"],
    })  # fmt: skip
    assert undone.status_code == 200
    assert path.read_bytes() == before


def test_a_new_deck_a_blank_exhibit_and_its_removal(client, decks) -> None:
    made = write(client, "/api/decks", {"id": "case-2", "title": "王某帮信案"})
    assert made.status_code == 201
    assert write(client, "/api/decks", {"id": "case-2", "title": "again"}).status_code == 400
    assert write(client, "/api/decks", {"id": "case-3", "title": " "}).status_code == 400
    added = write(client, "/api/decks/case-2/items", {"title": "聊天记录"})
    assert added.status_code == 201 and added.json["file"] == "items/e01.md"
    text = (decks / "case-2" / "items" / "e01.md").read_text("utf-8")
    assert 'id = "E01"' in text and 'title = "聊天记录"' in text
    item = client.get("/api/decks/case-2").json["items"][0]
    gone = write(
        client, "/api/decks/case-2/items/remove", {"file": item["name"], "base": item["version"]}
    )
    assert gone.status_code == 200 and not (decks / "case-2" / "items" / "e01.md").exists()


def test_evidence_uploaded_becomes_exhibits_hashed_with_their_own_times(client, decks) -> None:
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
    chat = "时间,发送人,内容\n2026-03-01 09:30,张某,你好\n".encode("gbk")
    modified = 1767225600000  # 2026-01-01T00:00:00Z, as the browser read the file
    for name, data in [
        ("现场 照片.png", picture),
        ("聊天/导出.csv", chat),
        ("聊天/说明.txt", b"x"),
    ]:
        answer = client.put(
            f"/api/decks/demo/uploads/batch0002?path={name}&modified={modified}",
            data=data,
            headers={"X-CSRF-Token": client.token, "Content-Type": "application/octet-stream"},
        )
        assert answer.status_code == 201, answer.json
    started = write(client, "/api/decks/demo/uploads/batch0002/import", {"name": "补充证据"})
    assert started.status_code == 202
    job = wait_until(
        lambda: (j := client.get(f"/api/jobs/{started.json['job']}").json)["finished"] and j, 30
    )
    assert job["error"] == "" and job["added"] == ["E18", "E19"]
    assert job["done"] == job["total"] == len(picture) + len(chat) + 1
    copied = next((decks / "demo" / "files").rglob("现场 照片.png"))
    assert copied.read_bytes() == picture
    assert int(copied.stat().st_mtime) == modified // 1000
    item = next(p for p in (decks / "demo" / "items").glob("e18*.md")).read_text("utf-8")
    assert hashlib.sha256(picture).hexdigest() in item
    order = (decks / "demo" / "deck.toml").read_text("utf-8")
    assert '"E17", "E18", "E19"]' in order  # the order of the hearing gains them
    assert not (Path(client.application.instance_path) / "editor-uploads" / "batch0002").exists()


def test_every_field_of_the_format_has_its_words_and_every_word_used_is_there() -> None:
    paths: list[str] = []

    def walk(fields, prefix):
        for f in fields:
            paths.append(prefix + f.key)
            walk(f.fields, prefix + f.key + ".")

    walk(schema.deck_fields(), "")
    walk(schema.item_fields(), "")
    assert [p for p in paths if p not in FIELD_LABELS] == []
    assert set(FIELD_HELP) <= set(FIELD_LABELS)
    # every word the editor's pages and scripts name, and every refusal its code gives
    root = Path(__file__).resolve().parent.parent
    used = set()
    for page in (root / "templates" / "editor").glob("*.html"):
        used |= set(re.findall(r'\bw\("([a-z_]+)"\)', page.read_text("utf-8")))
    for script in (root / "static" / "js" / "editor").glob("*.js"):
        for call in re.findall(r"\bword\(([^()]*)\)", script.read_text("utf-8")):
            used |= set(re.findall(r'"([a-z_]+)"', call))
    assert used and sorted(used - set(EDITOR_WORDS)) == []
    codes = set()
    for source in [*root.glob("presenter/editor/*.py"), *root.glob("presenter/web/editor/*.py")]:
        text = source.read_text("utf-8")
        codes |= set(
            re.findall(r'(?:Refused|NotPreviewable|NotPointable|refused)\(\s*"([a-z_]+)"', text)
        )
    assert codes and sorted(codes - set(EDITOR_MESSAGES)) == []


def test_user_errors_are_answered_in_words_never_a_500(client) -> None:
    cases = [
        ("/api/decks/demo/edit", {"file": "deck.toml"}),
        ("/api/decks/demo/edit", {"file": "deck.toml", "base": "x", "edits": "all"}),
        ("/api/decks/demo/edit", {"file": "deck.toml", "base": "x", "edits": [{"op": 1}]}),
        ("/api/decks/nope/edit", {"file": "deck.toml", "base": "x", "edits": []}),
        ("/api/decks/demo/replace", {"file": "deck.toml", "base": "x", "text": 5}),
        ("/api/decks/demo/items", {"title": ["x"]}),
    ]
    for path, body in cases:
        answer = write(client, path, body)
        assert 400 <= answer.status_code < 500, (path, body)
        assert answer.json["message"]
    version = client.get("/api/decks/demo").json["deck"]["version"]
    for edit in [{"op": "set", "path": ["case", "language"], "value": "fr"},
                 {"op": "set", "path": ["case", "title"], "value": {"$": 1}},
                 {"op": "set", "path": [True], "value": 1},
                 {"op": "move", "path": ["fact"], "value": 0, "to": 99}]:  # fmt: skip
        answer = write(
            client, "/api/decks/demo/edit", {"file": "deck.toml", "base": version, "edits": [edit]}
        )
        assert answer.status_code == 400 and answer.json["message"], edit
    assert write(client, "/api/decks/demo/edit", "not json").status_code == 400
    assert client.get("/api/jobs/none").status_code == 400


def test_check_findings_carry_the_commands_words_file_and_key(client, decks) -> None:
    path = decks / "demo" / "items" / "e02-recruit-ad.md"
    path.write_text(
        path.read_text("utf-8").replace('method = "online"', 'method = "stolen"'), "utf-8"
    )
    findings = client.get("/api/decks/demo/check").json
    found = [
        f
        for f in findings
        if f["file"] == "items/e02-recruit-ad.md" and f["key"] == "source.method"
    ]
    assert found and found[0]["severity"] == "error"
    assert found[0]["text"].startswith("items/e02-recruit-ad.md:")


def test_a_chat_export_uploaded_with_its_attachments_is_imported_as_import_does(
    client, decks, tmp_path
) -> None:
    from . import forensic_reports as fr

    export = fr.wechat_csv(tmp_path / "导出 文件夹", "gbk")
    for path in sorted(p for p in export.parent.rglob("*") if p.is_file()):
        name = path.relative_to(export.parent.parent).as_posix()
        answer = client.put(
            f"/api/decks/demo/uploads/batch0003?path={name}",
            data=path.read_bytes(),
            headers={"X-CSRF-Token": client.token, "Content-Type": "application/octet-stream"},
        )
        assert answer.status_code == 201, answer.json
    started = write(client, "/api/decks/demo/uploads/batch0003/import", {"export": True})
    job = wait_until(
        lambda: (j := client.get(f"/api/jobs/{started.json['job']}").json)["finished"] and j, 30
    )
    assert job["error"] == "" and job["added"] == ["E18"]
    item = next((decks / "demo" / "items").glob("e18*.md")).read_text("utf-8")
    assert 'view = "chat"' in item and 'type = "communication"' in item
    copied = next((decks / "demo" / "files").rglob(export.name))
    assert copied.read_bytes() == export.read_bytes()  # GBK, byte for byte


def test_a_deck_being_presented_picks_up_an_edit_made_in_the_editor(tmp_path, instance) -> None:
    from .conftest import PRESENTER_KEY, serve_deck

    root = tmp_path / "decks"
    deck = Path(shutil.copytree(DEMO_DECK, root / "demo"))
    editor = create_editor(root, instance_path=tmp_path / "editor-instance", key=KEY)
    client = editor.test_client()
    client.get(f"/?key={KEY}")
    with editor.test_request_context():
        token = csrf_token()
    with serve_deck(deck, instance) as served:
        served.get(f"present/deck.json?key={PRESENTER_KEY}")
        assert "李某发布的" in (served.get("present/deck.json") or "")
        item = next(
            i for i in client.get("/api/decks/demo").json["items"] if i["data"]["id"] == "E02"
        )
        answer = client.post(
            "/api/decks/demo/edit",
            json={"file": item["name"], "base": item["version"],
                  "edits": [{"op": "set", "path": ["title"], "value": "招聘广告网页截图（改）"}]},
            headers={"X-CSRF-Token": token},
        )  # fmt: skip
        assert answer.status_code == 200
        wait_until(lambda: "招聘广告网页截图（改）" in (served.get("present/deck.json") or ""), 60)


def add_code_item(client, decks: Path, files: list[str]) -> str:
    added = write(client, "/api/decks/demo/items", {"title": "外部文件"}).json["file"]
    item = next(i for i in client.get("/api/decks/demo").json["items"] if i["name"] == added)
    edits = [{"op": "set", "path": ["view"], "value": "code"},
             {"op": "set", "path": ["files"], "value": files}]  # fmt: skip
    body = {"file": added, "base": item["version"], "edits": edits}
    assert write(client, "/api/decks/demo/edit", body).status_code == 200
    return added


def test_pointing_reads_no_file_outside_the_deck_by_any_way(client, decks, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE\n", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("TOP SECRET LINE\n", "utf-8")
    (decks / "demo" / "files" / "linkfile.txt").symlink_to(secret)
    (decks / "demo" / "files" / "linkdir").symlink_to(outside)
    hops = "../" * (len(decks.parts) + 2)
    added = add_code_item(
        client, decks,
        [str(secret), f"{hops}{str(secret).lstrip('/')}", "files/linkfile.txt",
         "files/linkdir/x.txt", "../secret.txt"],
    )  # fmt: skip
    answer = client.get(f"/api/decks/demo/point?file={added}")
    assert b"TOP SECRET" not in answer.data
    assert answer.status_code == 200 and answer.json["files"] == []
    for name in ("files/linkfile.txt", str(secret), "files/linkdir/x.txt"):
        shown = client.get(f"/files/demo/shown?item={added}&name={name}")
        assert shown.status_code == 400 and b"TOP SECRET" not in shown.data


def test_an_item_not_in_utf8_is_shown_but_never_edited(client, decks) -> None:
    path = decks / "demo" / "items" / "e02-recruit-ad.md"
    data = path.read_text("utf-8").encode("gbk")
    path.write_bytes(data)
    item = next(
        i
        for i in client.get("/api/decks/demo").json["items"]
        if i["name"] == "items/e02-recruit-ad.md"
    )
    assert item["broken"] and item["why"] == "not_utf8"
    body = {"file": item["name"], "base": item["version"],
            "edits": [{"op": "set", "path": ["title"], "value": "x"}]}  # fmt: skip
    answer = write(client, "/api/decks/demo/edit", body)
    assert answer.status_code == 400 and "UTF-8" in answer.json["message"]
    assert path.read_bytes() == data  # every byte as it was


def test_odd_requests_are_refused_with_words_never_a_500(client, decks) -> None:
    version = client.get("/api/decks/demo").json["deck"]["version"]
    item = next(i for i in client.get("/api/decks/demo").json["items"] if i["data"]["id"] == "E02")

    def edit(name, base, *edits):
        return write(
            client, "/api/decks/demo/edit", {"file": name, "base": base, "edits": list(edits)}
        )

    odd = [
        edit(item["name"], item["version"], {"op": "add", "path": ["step"], "value": [1, 2]}),
        edit(item["name"], item["version"], {"op": "add", "path": ["step"], "value": "x"}),
        edit(item["name"], item["version"], {"op": "set", "path": ["shows", "fact"], "value": 1}),
        write(client, "/api/decks", {"id": "evil\n", "title": "x"}),
        write(client, "/api/decks", {"id": "a" * 300, "title": "x"}),
        client.get("/api/decks/" + "a" * 300),
        client.put("/api/decks/demo/uploads/batch0004?path=c&modified=" + "9" * 30, data=b"x",
                   headers={"X-CSRF-Token": client.token}),
        client.put("/api/decks/demo/uploads/batch0004?path=c/inner.txt", data=b"x",
                   headers={"X-CSRF-Token": client.token}),
        client.put("/api/decks/demo/uploads/batch0005?path=d&modified=" + "9" * 5000, data=b"x",
                   headers={"X-CSRF-Token": client.token}),
        client.application.test_client().get("/api/decks", headers={"Cookie": f"{COOKIE}=钥匙"}),
        client.post("/api/decks/demo/edit", json={}, headers={"X-CSRF-Token": "令牌"}),
        client.get("/?key=钥匙"),
    ]  # fmt: skip
    for n, answer in enumerate(odd):
        accepted = n in (6, 8)  # a file time too large to be one is left out, the file kept
        low, high = (200, 300) if accepted else (400, 500)
        assert low <= answer.status_code < high, (n, answer.status_code, answer.data[:200])
        if answer.is_json and answer.json and "message" in answer.json:
            assert "{" not in answer.json["message"], answer.json["message"]
    assert not (decks / "evil\n").exists()
    deck = decks / "demo" / "deck.toml"
    deck.write_text(deck.read_text("utf-8").replace("order = [", 'order = "E01"\nx = ['), "utf-8")
    read = client.get("/api/decks/demo").json["deck"]
    assert read["version"] != version
    body = {
        "file": "deck.toml",
        "base": read["version"],
        "edits": [{"op": "order", "value": ["E02"]}],
    }
    assert write(client, "/api/decks/demo/edit", body).status_code in (200, 400)
    source = '+++\nid = "E02"\ntitle = "x"\nsource = "a string"\n+++\n'
    path = decks / "demo" / "items" / "e02-recruit-ad.md"
    path.write_text(source, "utf-8")
    base = hashlib.sha256(source.encode()).hexdigest()
    answer = edit(
        item["name"], base, {"op": "set", "path": ["source", "method"], "value": "seizure"}
    )
    assert answer.status_code == 400 and answer.json["message"]


def test_an_undo_of_a_large_item_gives_it_back(client, decks) -> None:
    path = decks / "demo" / "items" / "e02-recruit-ad.md"
    text = path.read_text("utf-8").replace('title = "', 'title = "' + "长" * 2_000_000, 1)
    path.write_text(text, "utf-8")
    item = next(
        i
        for i in client.get("/api/decks/demo").json["items"]
        if i["name"] == "items/e02-recruit-ad.md"
    )
    body = {"file": item["name"], "base": item["version"],
            "edits": [{"op": "set", "path": ["title"], "value": "短"}]}  # fmt: skip
    done = write(client, "/api/decks/demo/edit", body)
    assert done.status_code == 200
    back = {"file": item["name"], "base": done.json["version"], "text": done.json["before"]}
    assert write(client, "/api/decks/demo/replace", back).status_code == 200
    assert path.read_text("utf-8") == text


def test_staged_uploads_left_behind_are_removed(editor, client, instance) -> None:
    import time as clock

    answer = client.put("/api/decks/demo/uploads/batch0006?path=a.bin", data=b"x" * 100,
                        headers={"X-CSRF-Token": client.token})  # fmt: skip
    assert answer.status_code == 201
    staged = instance / "editor-uploads" / "batch0006"
    workspace = editor.extensions["shizheng.editor"]
    assert workspace.drop_stale_uploads() == [] and staged.exists()  # one being sent stays
    assert workspace.drop_stale_uploads(clock.time() + 2 * workspace.STALE) == ["batch0006"]
    assert not staged.exists()


def test_previews_are_few_and_end_with_their_deck(tmp_path) -> None:
    import threading

    from presenter.editor.preview import RUNNING, Previews

    from .deckfactory import write_deck

    previews = Previews(tmp_path / "instance")
    before = threading.active_count()
    try:
        folders = [write_deck(tmp_path / "decks" / f"case-{n}") for n in range(RUNNING + 2)]
        for folder in folders:
            url = previews.show(folder, folder.name, "E02", "content", "16:9", 0, {}, "zh-CN")
            assert url.startswith("http://127.0.0.1:") and "/screen?key=" in url
        assert len(previews._running) == RUNNING  # the least recently shown were stopped
        shutil.rmtree(folders[-1])
        previews.show(folders[-2], folders[-2].name, "E02", "source", "4:3", 0, {}, "zh-CN")
        assert (folders[-1].name, "16:9") not in previews._running  # its deck is gone
    finally:
        previews.stop()
    wait_until(lambda: threading.active_count() <= before, 10)
