"""Every word in both languages: each table of presenter.i18n is whole, the one rule picks
the language, and every key the code, the templates and the scripts look up is in the table
it is looked up in."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from presenter import i18n
from presenter.deck import model, toml_lines
from presenter.export.leaveout import UNCHECKED_BY_NAME
from presenter.i18n import charts as chart_words
from presenter.i18n import (
    cli,
    editor,
    export,
    files,
    importing,
    problems,
    record,
    redaction,
    refusals,
    scaffold,
    tables,
)
from presenter.live import machine, state
from presenter.redaction import decisions, numbers

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "presenter" / "i18n"
OTHERS: tuple[str, ...] = ()
"""Paths (folder or file stem) with words of their own, not looked at here."""


# --- the one type and the one rule ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "EN", "en-US", "en_GB", "En-gb"])
def test_any_english_tag_picks_the_english_words(lang):
    assert i18n.pick(("中文", "English"), lang) == "English"


@pytest.mark.parametrize("lang", ["zh-CN", "zh", "", "fr", "eng", "english", "ne"])
def test_any_other_tag_picks_the_chinese_words(lang):
    assert i18n.pick(("中文", "English"), lang) == "中文"


def test_the_package_imports_nothing_else_of_the_program_nor_the_web():
    """The deck model imports the package, and the deck imports nothing of the web."""
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # the module's own imports (a function may ask for a request)
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1 and not (node.module or "").startswith("presenter"), path
                assert node.level or node.module in ("__future__", "collections.abc"), path
            assert not isinstance(node, ast.Import), path


# --- (a) every table is whole ----------------------------------------------------------------


def table_entries() -> Iterator[tuple[str, i18n.Words]]:
    """Every pair of words in the package, named `module.TABLE[key]`."""
    for info in pkgutil.iter_modules([str(PACKAGE)]):
        module = importlib.import_module(f"presenter.i18n.{info.name}")
        for name, value in vars(module).items():
            if name.isupper():
                yield from _pairs(f"{info.name}.{name}", value)


def _pairs(where: str, value: object) -> Iterator[tuple[str, i18n.Words]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _pairs(f"{where}[{key!r}]", inner)
    elif isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        yield where, value
    elif isinstance(value, tuple):
        for i, inner in enumerate(value):
            yield from _pairs(f"{where}[{i}]", inner)


ENGLISH_ONLY = {"problems.SUMMARY": {"error_s", "warning_s"}}
"""Placeholders only English needs: its plurals."""


def placeholders(text: str) -> set[str]:
    """The values a text is filled with; `detail_zh` and `detail_en` are one value, given in
    the language of each."""
    fields = (name for _, name, _, _ in string.Formatter().parse(text) if name)
    return {re.sub(r"_(zh|en)$", "", re.split(r"[.\[]", name)[0]) for name in fields}


def test_the_package_holds_every_table():
    found = {where.split("[")[0] for where, _ in table_entries()}
    assert len(found) >= 25, found
    assert "interface.STRINGS" in found and "problems.TOML_ERRORS" in found


@pytest.mark.parametrize(
    ("where", "words"), [pytest.param(where, words, id=where) for where, words in table_entries()]
)
def test_every_entry_has_both_languages_with_the_same_placeholders(where, words):
    zh, en = words
    assert zh.strip() and en.strip(), "a language is missing"
    extra = ENGLISH_ONLY.get(where, set())
    assert placeholders(zh) == placeholders(en) - extra, "the languages fill in different values"


# --- (b) every key looked up is there --------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A key as a lookup names it: the whole key, or the literal start of one made at run
    time (`"kind." + x`, `f"redact.kind.{x}"`, `t("type." ~ x)`)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Lookup:
    """Where a table is looked up, and how: each form names the key as a literal."""

    table: Mapping[str, object]
    paths: tuple[str, ...]
    calls: Mapping[str, int] = field(default_factory=dict)
    """A function, method or class called with the key at this position."""
    subscripts: frozenset[str] = frozenset()
    """A name (or attribute) indexed by the key: `WORDS["x"]`, `self.words["x"]`."""
    names: frozenset[str] = frozenset()
    """A keyword argument or a variable given the key: `code="x"`, `refusal = "x"`."""
    entries: frozenset[str] = frozenset()
    """A dict's entry holding the key: `{"error": "x"}`."""
    returns: frozenset[str] = frozenset()
    """Functions whose results are keys."""
    codes_first: bool = False
    """Tuples of a severity and a code: `("warning", "code", key, params)`."""
    hints: bool = False
    """Tuples of a code and its values: `("code", {...})`."""
    known: Callable[[], Iterable[str]] = lambda: ()
    """Keys the code holds in constants of its own, not at the lookup."""


LOOKUPS: dict[str, Lookup] = {
    "interface": Lookup(
        i18n.STRINGS,
        ("presenter/**/*.py",),
        calls={"t": 0, "translator()": 0},
        subscripts=frozenset({"STRINGS"}),
        known=lambda: [*_record_report_blanks(), *_catalogue_columns()],
    ),
    "problems": Lookup(
        problems.MESSAGES,
        ("presenter/deck/*.py", "presenter/charts/*.py"),
        calls={"Problem": 2, "error": 0, "warning": 0, "problem": 1, "PydanticCustomError": 0},
        names=frozenset({"code"}),
        returns=frozenset({"confine", "find_file", "split_item"}),
        codes_first=True,
    ),
    "toml hints": Lookup(
        problems.TOML_HINTS,
        ("presenter/deck/toml_lines.py",),
        hints=True,
        known=lambda: [code for code, _ in toml_lines._FULL_WIDTH.values()],
    ),
    "refusals": Lookup(
        refusals.REASONS,
        ("presenter/live/*.py",),
        calls={"Refused": 0, "reason": 0},
        names=frozenset({"otherwise", "refusal", "refusals"}),
        entries=frozenset({"error"}),
        returns=frozenset({"blocked"}),
    ),
    "pairing": Lookup(
        refusals.PAIRING_REFUSED, ("presenter/live/access.py",), calls={"PairingRefused": 0}
    ),
    "keys": Lookup(
        refusals.KEY_REFUSED, ("presenter/live/access.py",), subscripts=frozenset({"KEY_REFUSED"})
    ),
    "record": Lookup(
        record.MESSAGES,
        ("presenter/live/record.py", "presenter/cli.py"),
        calls={"RecordCheck": 3},
        subscripts=frozenset({"MESSAGES"}),
    ),
    "findings": Lookup(
        record.FINDINGS,
        ("presenter/live/record.py",),
        calls={"Finding": 0},
        names=frozenset({"code"}),
    ),
    "manifest": Lookup(
        export.MANIFEST_WORDS,
        ("presenter/export/manifest.py",),
        subscripts=frozenset({"words"}),
        names=frozenset({"problem"}),
    ),
    "bundle": Lookup(
        export.BUNDLE_WORDS, ("presenter/export/bundle.py",), subscripts=frozenset({"say"})
    ),
    "cli": Lookup(cli.CLI_WORDS, ("presenter/cli.py",), calls={"_words": 1}),
    "charts": Lookup(
        chart_words.CHART_WORDS,
        ("presenter/charts/*.py",),
        calls={"say": 1, "Kind": 0},
    ),
    "redaction": Lookup(
        redaction.REDACTION_WORDS,
        ("presenter/redaction/report.py",),
        calls={"words": 0},
        known=lambda: decisions.VALUES,
    ),
    "scaffold": Lookup(
        scaffold.SCAFFOLD_WORDS,
        ("presenter/scaffold.py",),
        subscripts=frozenset({"SCAFFOLD_WORDS"}),
    ),
    "editor": Lookup(
        editor.EDITOR_WORDS,
        ("presenter/cli.py", "presenter/web/editor/*.py"),
        subscripts=frozenset({"EDITOR_WORDS"}),
    ),
    "editor refusals": Lookup(
        editor.EDITOR_MESSAGES,
        ("presenter/editor/*.py", "presenter/web/editor/*.py"),
        calls={
            "Refused": 0,
            "EditRefused": 0,
            "NotPreviewable": 0,
            "NotPointable": 0,
            "refused": 0,
            "message": 0,
        },
        known=lambda: ["front_matter_open", "front_matter_unclosed"],  # split_item's codes
    ),  # fmt: skip
    "render failures": Lookup(
        files.RENDER_FAILURES, ("presenter/rendering.py",), calls={"Failure": 0}
    ),
    "transcripts": Lookup(
        files.TRANSCRIPT_ERRORS, ("presenter/transcript.py",), calls={"TranscriptError": 1}
    ),
    **{
        f"import {module}": Lookup(
            table, (f"presenter/importing/{module}.py",), subscripts=frozenset({"words"})
        )
        for module, table in (
            ("__init__", importing.IMPORT_WORDS),
            ("case", importing.CASE_WORDS),
            ("chats", importing.CHAT_WORDS),
            ("sheet", importing.SHEET_WORDS),
            ("ufdr", importing.UFDR_WORDS),
            ("writer", importing.WRITER_WORDS),
        )
    },
}
"""Each table, the files that look it up, and the forms they look it up with."""


def _record_report_blanks() -> Iterable[str]:
    from presenter.export.record_report import BLANKS

    return BLANKS.values()


def _catalogue_columns() -> Iterable[str]:
    from presenter.export.catalogue import COLUMNS

    return [key for key, _ in COLUMNS]


PREFIXES: dict[str, tuple[str, ...]] = {
    # the deck's choices (presenter.deck.model)
    "aspect.": typing.get_args(model.Aspect),
    "element.": typing.get_args(model.Element),
    "kind.": typing.get_args(model.EvidenceKind),
    "type.": typing.get_args(model.DataType),
    "method.": typing.get_args(model.Method),
    "view.": typing.get_args(model.View),
    # the live state's (presenter.live.state) and the record's (presenter.export.record_report)
    "panel.": state.PANELS,
    "record.role.": (*typing.get_args(state.Role), "server"),
    "record.action.": (*machine.ACTIONS, "pair"),
    "record.": ("start", "reload"),
    "record.shape.": state.SHAPE_KINDS,
    "record.annotate.": ("undo", "clear"),
    "record.compare.": state.DIRECTIONS,
    "record.redact.": ("add", "remove", "clear", "confirm", "dismiss"),
    "draw.": state.SHAPE_KINDS,
    "colour.": ("red", "yellow", "green", "blue", "black", "white"),
    # what a masked bundle leaves out (presenter.export.leaveout)
    "left_out.": ("name", "text", "unchecked", *UNCHECKED_BY_NAME, "binary", "large"),
    "number.": ("mobile", "resident_id", "card", "other"),  # leaveout._kind
    # numbers detection finds (presenter.redaction.numbers)
    "redact.kind.": numbers.KINDS,
    # the matrix's shared origins (presenter.deck.chain)
    "case.shared_": ("serial", "holder"),
    # an import's own words (presenter.importing.ufdr)
    "{key}_columns": ("calls", "contacts"),
}
"""What each key made at run time can be: its start, and every value the rest can take."""

JS_PREFIXES: dict[str, tuple[str, ...]] = {
    "ground_": typing.get_args(model.Ground),
    "redact_kind_": numbers.KINDS,
    "role_": typing.get_args(state.Role),
}
"""The same for the words a script reads from the page, by their names there."""


def _files(globs: Iterable[str]) -> list[Path]:
    found = {p for glob in globs for p in ROOT.glob(glob)}
    return sorted(p for p in found if not any(o in p.relative_to(ROOT).parts[1:] or
                                              p.stem == o for o in OTHERS))  # fmt: skip


def keys_in(expression: ast.expr) -> list[Key]:
    """The keys an expression names: literals, both arms of a condition, the literal start of
    one made by `+` or an f-string, and an f-string's shape (`{key}_columns`)."""
    match expression:
        case ast.Constant(value=str(text)):
            return [Key(text)]
        case ast.IfExp(body=body, orelse=orelse):
            return keys_in(body) + keys_in(orelse)
        case ast.BoolOp(values=values):
            return [key for value in values for key in keys_in(value)]
        case ast.BinOp(left=ast.Constant(value=str(start)), op=ast.Add()):
            return [Key(start, prefix=True)]
        case ast.JoinedStr(values=[ast.Constant(value=str(start)), *_]):
            return [Key(start, prefix=True)]
        case ast.JoinedStr():
            return [Key(ast.unparse(expression)[2:-1], prefix=True)]
        case ast.Call(func=ast.Name(id="str"), args=[inner]):
            return keys_in(inner)
        case ast.Call(func=ast.Attribute(attr="get"), args=[_, default]):
            return keys_in(default)
    return []


def _name(node: ast.expr) -> str | None:
    match node:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            return name
        case ast.Call(func=ast.Name(id=name) | ast.Attribute(attr=name)):
            return f"{name}()"
    return None


def _loop_values(tree: ast.AST, name: str) -> list[Key]:
    """The literal values a loop of the module gives `name`: `for kind in ("a", "b")`,
    `for label, value in (("a", x), ...)`."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.For | ast.comprehension):
            continue
        target, items = node.target, node.iter
        if not isinstance(items, ast.Tuple | ast.List):
            continue
        if isinstance(target, ast.Name) and target.id == name:
            found += [k for item in items.elts for k in keys_in(item)]
        elif isinstance(target, ast.Tuple):
            at = [i for i, t in enumerate(target.elts) if isinstance(t, ast.Name) and t.id == name]
            for item in items.elts:
                if at and isinstance(item, ast.Tuple) and len(item.elts) > at[0]:
                    found += keys_in(item.elts[at[0]])
    return found


def python_keys(lookup: Lookup) -> Iterator[tuple[str, Key | str]]:
    """Each key the Python files of `lookup` name, where; a lookup whose key is neither a
    literal nor a loop's literal values as the text of its key."""
    for path in _files(lookup.paths):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            for expression in _key_expressions(node, lookup):
                keys = [key for key in keys_in(expression) if key.text]
                if not keys and isinstance(expression, ast.Name):
                    keys = _loop_values(tree, expression.id)
                yield from ((f"{where}:{node.lineno}", key) for key in keys)
                if not keys and _has_text(expression):
                    yield f"{where}:{node.lineno}", ast.unparse(expression)
                # else a key that came from elsewhere (checked where it is written), or none


def _has_text(expression: ast.expr) -> bool:
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value
        for node in ast.walk(expression)
    )


def _key_expressions(node: ast.AST, lookup: Lookup) -> Iterator[ast.expr]:
    if isinstance(node, ast.Call):
        position = lookup.calls.get(_name(node.func) or "")
        if position is not None and len(node.args) > position and not _logged(node):
            yield node.args[position]
        yield from (k.value for k in node.keywords if k.arg in lookup.names)
    elif isinstance(node, ast.Dict):
        yield from (v for k, v in zip(node.keys, node.values, strict=True) if
                    isinstance(k, ast.Constant) and k.value in lookup.entries)  # fmt: skip
    elif isinstance(node, ast.Subscript) and _name(node.value) in lookup.subscripts:
        yield node.slice
    elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id in lookup.names for t in targets):
            value = node.value
            yield from value.values if isinstance(value, ast.Dict) else [value]  # type: ignore[misc]
    elif isinstance(node, ast.FunctionDef) and node.name in lookup.returns:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Return) and inner.value is not None:
                yield from _returned(inner.value)
    elif isinstance(node, ast.Tuple) and len(node.elts) >= 2:
        first, second = node.elts[0], node.elts[1]
        if lookup.codes_first and len(node.elts) == 4 and isinstance(first, ast.Constant) and (
            first.value in ("error", "warning")
        ):  # fmt: skip
            yield second
        if lookup.hints and isinstance(first, ast.Constant) and isinstance(second, ast.Dict):
            yield first


def _logged(call: ast.Call) -> bool:
    """`log.warning(...)`: a line of the log, not a problem of the deck."""
    func = call.func
    return isinstance(func, ast.Attribute) and _name(func.value) in ("log", "logger", "warnings")


def _returned(value: ast.expr) -> Iterator[ast.expr]:
    match value:
        case ast.Tuple(elts=elts):
            yield from (e for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        case ast.IfExp(body=body, orelse=orelse):
            yield from _returned(body)
            yield from _returned(orelse)
        case ast.Constant(value=str()):
            yield value


TEMPLATE_KEY = re.compile(r"""\bt\(\s*(["'])([^"']*)\1\s*(~?)""")
TEMPLATE_CALL = re.compile(r"\bt\(")
TEMPLATE_TABLE_WORD = re.compile(r"\bwords(?:\.(\w+)|\[\s*[\"'](\w+)[\"']\s*\])")


def template_keys() -> Iterator[tuple[str, Key | str]]:
    """`t("key")` and `t("prefix." ~ value)` in every template; any other `t(...)` as text."""
    for path in _files(["templates/**/*.html"]):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            literal = {m.start(): m for m in TEMPLATE_KEY.finditer(line)}
            for call in TEMPLATE_CALL.finditer(line):
                found = literal.get(call.start())
                if found is None:
                    yield where, line[call.start() : call.start() + 40]
                else:
                    yield where, Key(found.group(2), prefix=bool(found.group(3)))


def _missing(table: Mapping[str, object], found: Iterable[tuple[str, Key | str]]) -> list[str]:
    missing = []
    for where, key in found:
        if isinstance(key, str):
            missing.append(f"{where}: a key the test cannot read: {key}")
        elif not key.prefix:
            if key.text not in table:
                missing.append(f"{where}: {key.text}")
        elif key.text not in PREFIXES:
            missing.append(f"{where}: {key.text}… (add what it can be to PREFIXES)")
        else:
            for value in PREFIXES[key.text]:
                whole = key.text.format(key=value) if "{key}" in key.text else key.text + value
                if whole not in table:
                    missing.append(f"{where}: {whole}")
    return missing


@pytest.mark.parametrize("name", list(LOOKUPS))
def test_every_key_the_code_looks_up_is_in_its_table(name):
    lookup = LOOKUPS[name]
    found = [*python_keys(lookup), *(("(constants)", Key(k)) for k in lookup.known())]
    assert found, "no lookup of this table found: is the form in LOOKUPS right?"
    assert _missing(lookup.table, found) == []


def test_every_key_a_template_looks_up_is_in_the_interface_words():
    found = list(template_keys())
    assert len(found) > 300
    assert _missing(i18n.STRINGS, found) == []


def test_every_word_of_the_table_view_its_template_says_is_in_the_tables_words():
    text = (ROOT / "templates" / "views" / "table.html").read_text(encoding="utf-8")
    said = {a or b for a, b in TEMPLATE_TABLE_WORD.findall(text)} - {"items", "format"}
    assert said and said <= set(tables.TABLE_WORDS), said - set(tables.TABLE_WORDS)


PAGE_WORD = re.compile(r"""["'](\w+)["']\s*:\s*t\(""")
SCRIPT_WORD = re.compile(
    r"(?:\b(?:ui|words)|\bdata\.(?:ui|console|verify))(?:\s*\|\|\s*\{\}\))?\??\.([A-Za-z_]\w*)"
    r"|\bui\[`(\w+)\$\{"
)


def test_every_word_a_script_reads_from_its_page_is_given_there():
    """Scripts get their words from the page (JSON made with `t(...)`), by name."""
    given = {
        name
        for path in _files(["templates/**/*.html"])
        for name in PAGE_WORD.findall(path.read_text(encoding="utf-8"))
    }
    missing = []
    for path in _files(["static/js/**/*.js"]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name, prefix in SCRIPT_WORD.findall(line):
                names = [prefix + v for v in JS_PREFIXES.get(prefix, ("?",))] if prefix else [name]
                where = f"{path.relative_to(ROOT)}:{number}"
                missing += [f"{where}: {n}" for n in names if n not in given]
    assert missing == []
