"""The UI changes a session only through `SessionEditor`: it never assigns a model's field.

Walks the syntax tree of every module in `workshop/ui/` and fails on
- an assignment (plain, augmented, annotated, or a `del`) to an attribute named like a
  field of a session model, on anything but `self` (a widget's own state);
- an item assignment or `del` into, or a mutating method call on, an attribute named
  like one of a session's lists or dicts (`session.proposals.append(...)`);
- `setattr`, which could do either behind a name.
Widgets have attributes that share a name with a model field (a clock's `text`); those
few are listed in ALLOWED with the reason, by file and expression.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel

import workshop.domain.models.rounds as round_models
import workshop.domain.models.session as session_models
import workshop.ui

UI_ROOT = Path(workshop.ui.__file__).parent
MUTATORS = {"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "update", "setdefault", "popitem"}


def _session_models() -> list[type[BaseModel]]:
    """The models a session file is made of (its rounds and ballots live in a module of their own)."""
    return [
        value
        for module in (session_models, round_models)
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == module.__name__
    ]


FIELDS = {name for model in _session_models() for name in model.model_fields} | {"schema"}
COLLECTIONS = {name for model in _session_models() for name, info in model.model_fields.items() if getattr(info.annotation, "__origin__", None) in (list, dict)}

# (file relative to workshop/ui, the expression assigned to): why it is not a session model.
ALLOWED: dict[tuple[str, str], str] = {
    ("screens/run.py", "countdown.text"): "the BigClock widget's text reactive",
    ("widgets/participants_editor.py", "person.name"): "a PersonRow, the form's own row before saving",
    ("widgets/participants_editor.py", "person.role"): "a PersonRow, the form's own row before saving",
}


def _ui_modules() -> list[Path]:
    return sorted(UI_ROOT.rglob("*.py"))


def _is_bare_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _names_collection(node: ast.expr) -> bool:
    """Whether `node` is (or indexes into) an attribute named like a session collection."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Attribute) and node.attr in COLLECTIONS and not _is_bare_self(node.value)


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        found: list[ast.expr] = []
        for target in node.targets:
            found.extend(target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target])
        return found
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return list(node.targets)
    return []


def violations(source: str, filename: str) -> list[str]:
    """Every place in `source` that changes what looks like a session model."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        for target in _targets(node):
            text = ast.unparse(target)
            if (filename, text) in ALLOWED:
                continue
            if isinstance(target, ast.Attribute) and target.attr in FIELDS and not _is_bare_self(target.value):
                found.append(f"{filename}:{target.lineno}: assigns {text}")
            elif isinstance(target, ast.Subscript) and _names_collection(target.value):
                found.append(f"{filename}:{target.lineno}: assigns into {text}")
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id == "setattr":
                found.append(f"{filename}:{node.lineno}: calls setattr")
            elif isinstance(function, ast.Attribute) and function.attr in MUTATORS and _names_collection(function.value):
                found.append(f"{filename}:{node.lineno}: calls {ast.unparse(function)}")
    return found


def test_the_ui_has_modules_and_the_models_have_fields():
    assert len(_ui_modules()) > 10
    assert {"proposals", "participants", "text", "horizon", "status"} <= FIELDS
    assert {"proposals", "participants", "ballots", "voted"} <= COLLECTIONS


@pytest.mark.parametrize(
    "source",
    [
        "proposal.text = 'x'",
        "self.session.status = 'running'",
        "a, card.horizon = 1, 'a-year'",
        "self.session.proposals.append(p)",
        "del session.proposals[0]",
        "session.participants[0] = person",
        "round.hands[pid] += 1",
        "setattr(proposal, 'owner', 'Sam')",
        "note.updated_at: object = now",
    ],
)
def test_the_checker_catches_each_kind_of_change(source):
    assert violations(source, "example.py")


@pytest.mark.parametrize("source", ["self.text = 'x'", "self.rows[0] = 1", "draft[pid] = 2", "items.append(1)", "x = proposal.text"])
def test_the_checker_leaves_widget_state_alone(source):
    assert violations(source, "example.py") == []


def test_no_ui_module_changes_a_session_model_directly():
    found = []
    for path in _ui_modules():
        found += violations(path.read_text(encoding="utf-8"), path.relative_to(UI_ROOT).as_posix())
    assert found == [], "change these through SessionEditor:\n" + "\n".join(found)
