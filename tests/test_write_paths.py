"""Each app's services are the only code that writes its tables: another app asks through a
service (`registry.services.accounts_mark_training`, `accounts.services.membership_remove` …).

The check reads the source (ast) of every app's modules and finds the writes to a model that
another app owns, where the code says which model it is:

- a manager or queryset write: `Account.objects….update/create/delete/bulk_create/bulk_update/
  get_or_create/update_or_create(…)`, also through a queryset kept in a variable;
- `.save()` or `.delete()` on an instance whose model the function shows: made with
  `Account(…)`, read with `Account.objects….get/first/last/…`, looped over from
  `Account.objects…`, or a parameter annotated `: Account`.

What an instance reached through a relation (`account.unit.save()`) is cannot be told from
the source, and is not looked for. The check is shown to catch planted writes below.

Not scanned: migrations (they write through the historical models of `apps.get_model`, and a
data migration belongs to the app whose tables it seeds), the demo app (`demo_load` builds a
whole fictional hospital at once, on an empty database, as a fixture would; it is never part
of a request or a job) and the benchmark's data builder (`bench/`, not an app).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EXEMPT_APPS = {"demo"}
WRITES = {"update", "create", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Queryset methods that give one instance.
ONE = {"get", "first", "last", "latest", "earliest", "create", "get_or_create", "update_or_create"}

# Writes to another app's tables still allowed, each with what removes it: (app, model) →
# the reason. A new one makes the check fail, and so does an entry whose write is gone. The
# ones known when the check was written are gone already: the competence gate's mark, which
# courses wrote on the register's accounts (now registry.services.accounts_mark_training,
# asked by registry/training.py), and the organisation sync's units, memberships and people
# (now accounts/units.py and accounts.services.person_deactivate).
KNOWN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Write:
    path: str
    line: int
    app: str
    model: str  # "app_label.Model"

    def __str__(self):
        return f"{self.path}:{self.line}: {self.app} writes {self.model}"


def project_models() -> dict[str, dict[str, str]]:
    """For each of the portal's apps (module name): its models' names → "label.Model"."""
    local = {config.name: config for config in apps.get_app_configs() if Path(config.path) == ROOT / config.name}
    return {
        name: {model.__name__: model._meta.label for model in config.get_models()} for name, config in local.items()
    }


class _Scope:
    def __init__(self, parent=None):
        self.parent = parent
        self.instances: dict[str, str] = {}  # variable → model label
        self.querysets: dict[str, str] = {}

    def instance(self, name):
        scope = self
        while scope is not None:
            if name in scope.instances:
                return scope.instances[name]
            scope = scope.parent
        return None

    def queryset(self, name):
        scope = self
        while scope is not None:
            if name in scope.querysets:
                return scope.querysets[name]
            scope = scope.parent
        return None


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, app: str, models: dict[str, dict[str, str]]):
        self.path, self.app = path, app
        self.models = models
        self.names: dict[str, str] = {}  # a name bound in the module → model label
        self.modules: dict[str, str] = {}  # a name bound to an app's models module → app
        self.writes: list[Write] = []
        self.scope = _Scope()

    # What the module imports

    def visit_ImportFrom(self, node):
        module = node.module or ""
        for app, models in self.models.items():
            if module == f"{app}.models" or module.startswith(f"{app}.models."):
                for alias in node.names:
                    if alias.name in models:
                        self.names[alias.asname or alias.name] = models[alias.name]
            elif module == app:
                for alias in node.names:
                    if alias.name == "models":
                        self.modules[alias.asname or "models"] = app

    def visit_Import(self, node):
        for alias in node.names:
            app = alias.name.removesuffix(".models")
            if alias.name.endswith(".models") and app in self.models:
                self.modules[alias.asname or alias.name] = app

    def visit_Assign(self, node):
        label = self._model_of_call(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if label is not None:
                    self.names[target.id] = label  # User = get_user_model()
                self._remember(target.id, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if isinstance(node.target, ast.Name):
            label = self._label(node.annotation)
            if label:
                self.scope.instances[node.target.id] = label
            if node.value is not None:
                self._remember(node.target.id, node.value)
        self.generic_visit(node)

    def _visit_function(self, node):
        self.scope = _Scope(self.scope)
        for argument in [*node.args.args, *node.args.kwonlyargs]:
            label = self._label(argument.annotation) if argument.annotation is not None else None
            if label:
                self.scope.instances[argument.arg] = label
        self.generic_visit(node)
        self.scope = self.scope.parent

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def visit_For(self, node):
        if isinstance(node.target, ast.Name):
            label = self._queryset_of(node.iter)
            if label:
                self.scope.instances[node.target.id] = label
        self.generic_visit(node)

    def visit_Call(self, node):
        function = node.func
        if isinstance(function, ast.Attribute):
            if function.attr in WRITES:
                label = self._queryset_of(function.value)
                if label:
                    self._found(node, label)
            if function.attr in {"save", "delete"} and not node.args:
                label = self._instance_of(function.value)
                if label:
                    self._found(node, label)
        self.generic_visit(node)

    # Which model an expression is

    def _label(self, expression) -> str | None:
        """`Account` or `models.Account` or "Account" (an annotation) → its label, if it is a model."""
        if isinstance(expression, ast.Name):
            return self.names.get(expression.id)
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return self.names.get(expression.value)
        if isinstance(expression, ast.Attribute) and isinstance(expression.value, ast.Name):
            app = self.modules.get(expression.value.id)
            if app is not None:
                return self.models[app].get(expression.attr)
        if isinstance(expression, ast.BinOp):  # Account | None
            return self._label(expression.left) or self._label(expression.right)
        return None

    def _model_of_call(self, expression) -> str | None:
        if (
            isinstance(expression, ast.Call)
            and isinstance(expression.func, ast.Name)
            and expression.func.id == "get_user_model"
        ):
            return apps.get_model(settings.AUTH_USER_MODEL)._meta.label
        return None

    def _queryset_of(self, expression) -> str | None:
        """The model of a manager or queryset expression: `Account.objects.filter(…)`, a
        variable holding one, or a related manager through the model (`Account.deputies.through.objects`)."""
        while True:
            if isinstance(expression, ast.Call):
                expression = expression.func
                continue
            if isinstance(expression, ast.Attribute):
                if expression.attr in {"objects", "_default_manager"}:
                    return self._root_label(expression.value)
                expression = expression.value
                continue
            if isinstance(expression, ast.Name):
                return self.scope.queryset(expression.id)
            return None

    def _root_label(self, expression) -> str | None:
        # Account.objects → Account; Account.deputies.through.objects → the through model, an
        # Account's table all the same (the register owns it).
        while isinstance(expression, ast.Attribute) and self._label(expression) is None:
            expression = expression.value
        return self._label(expression)

    def _instance_of(self, expression) -> str | None:
        if isinstance(expression, ast.Name):
            return self.scope.instance(expression.id)
        return None

    def _remember(self, name: str, value) -> None:
        """What a variable holds after `name = value`: an instance or a queryset of a model."""
        if isinstance(value, ast.Call) and self._label(value.func):
            self.scope.instances[name] = self._label(value.func)  # Account(…)
            return
        label = self._queryset_of(value) if isinstance(value, ast.Call | ast.Attribute) else None
        if label is None:
            return
        last = value.func.attr if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) else None
        if last in ONE:
            self.scope.instances[name] = label
        else:
            self.scope.querysets[name] = label

    def _found(self, node, label: str) -> None:
        owner = label.split(".")[0]
        if owner != self.app.rsplit(".", 1)[-1]:
            self.writes.append(Write(self.path, node.lineno, self.app, label))


def writes_in(source: str, *, path: str, app: str, models: dict[str, dict[str, str]]) -> list[Write]:
    checker = _Checker(path, app, models)
    checker.visit(ast.parse(source))
    return checker.writes


def modules_of(app: str):
    folder = ROOT / app.replace(".", "/")
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path


def cross_app_writes() -> list[Write]:
    models = project_models()
    found = []
    for app in models:
        if app in EXEMPT_APPS:
            continue
        for path in modules_of(app):
            found += writes_in(path.read_text(), path=str(path.relative_to(ROOT)), app=app, models=models)
    return found


def test_no_app_writes_another_apps_tables_except_the_known_ones():
    found = cross_app_writes()
    assert [str(w) for w in found if (w.app, w.model) not in KNOWN] == []
    # An exception whose write is gone is taken off the list.
    assert sorted(set(KNOWN) - {(w.app, w.model) for w in found}) == []


# The check itself


PLANTED = """
from registry.models import Account, AccountStatus
from accounts import models as people
from django.contrib.auth import get_user_model

User = get_user_model()


def mark(ids):
    Account.objects.filter(pk__in=ids).update(training_missing=True)


def many(rows):
    Account.objects.bulk_create(rows)
    Account.deputies.through.objects.filter(user_id=1).delete()


def kept(ids):
    chosen = Account.objects.filter(pk__in=ids).exclude(status=AccountStatus.CLOSED)
    chosen.update(needs_new_editor=True)


def one(pk):
    account = Account.objects.select_for_update().get(pk=pk)
    account.save()


def made():
    unit = people.Unit(name="Ny")
    unit.save()


def looped():
    for person in User.objects.filter(is_active=True):
        person.delete()


def annotated(account: Account, status: AccountStatus):
    account.save()


def reads_only(ids):
    # Reading another app's tables is fine.
    return list(Account.objects.filter(pk__in=ids).values_list("pk", flat=True)), AccountStatus.CLOSED
"""


def test_the_check_finds_each_kind_of_write_planted_in_a_module():
    writes = writes_in(PLANTED, path="courses/planted.py", app="courses", models=project_models())
    lines = PLANTED.splitlines()
    found = sorted((lines[w.line - 1].strip(), w.model) for w in writes)
    assert found == sorted(
        [
            ("Account.objects.filter(pk__in=ids).update(training_missing=True)", "registry.Account"),
            ("Account.objects.bulk_create(rows)", "registry.Account"),
            ("Account.deputies.through.objects.filter(user_id=1).delete()", "registry.Account"),
            ("chosen.update(needs_new_editor=True)", "registry.Account"),
            ("account.save()", "registry.Account"),
            ("account.save()", "registry.Account"),
            ("unit.save()", "accounts.Unit"),
            ("person.delete()", "accounts.User"),
        ]
    )


def test_the_check_leaves_an_apps_own_tables_alone():
    # The same module in the register: its writes to accounts are found, its own are not.
    writes = writes_in(PLANTED, path="registry/planted.py", app="registry", models=project_models())
    assert sorted(w.model for w in writes) == ["accounts.Unit", "accounts.User"]
    own = "from registry.models import Account\n\ndef f(ids):\n    Account.objects.filter(pk__in=ids).update(x=1)\n"
    assert writes_in(own, path="registry/services.py", app="registry", models=project_models()) == []


def test_the_check_scans_the_apps_modules():
    # Not vacuous: the portal's services are among the modules read, and they do write.
    scanned = {str(path.relative_to(ROOT)) for app in project_models() for path in modules_of(app)}
    assert {"registry/services.py", "plans/services.py", "accounts/services.py"} <= scanned
    assert not any("/migrations/" in path for path in scanned)


# No business logic in model signals: what follows from a change is a subscriber of the event
# the service announces (docs/architecture.md, "Events and plug-in points"). No module of the
# portal connects a row signal of Django's models, so a write is heard only when a service made
# it, and once. Other signals are not row writes and are not looked at: the login throttle's
# `user_logged_in` (accounts/throttle.py) is an auth signal, and core/apps.py's `post_migrate`
# makes the cache table after a migration.
ROW_SIGNALS = ("pre_init", "post_init", "pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")

# Modules still allowed to connect one, each with the reason: none.
SIGNALS_ALLOWED: dict[str, str] = {}


def _signal_names_in(source: str) -> list[tuple[int, str]]:
    """Where a row signal is named: imported from django.db.models.signals, or read as
    `signals.post_save` / `models.signals.post_save`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in ("django.db.models.signals", "django.db.models"):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in ROW_SIGNALS]
        elif isinstance(node, ast.Attribute) and node.attr in ROW_SIGNALS:
            found.append((node.lineno, node.attr))
    return found


def _project_module_of(receiver) -> str | None:
    """The portal's module a connected receiver is defined in (None for Django's and libraries')."""
    import sys

    func = getattr(receiver, "__func__", receiver)
    module = sys.modules.get(getattr(func, "__module__", None) or type(func).__module__)
    path = Path(getattr(module, "__file__", None) or "/").resolve()
    if not path.is_relative_to(ROOT) or any(part.startswith(".") or part == "site-packages" for part in path.parts):
        return None
    return str(path.relative_to(ROOT))


def connected_row_signals() -> list[str]:
    """The portal's receivers connected now to a row signal, as "module: signal"."""
    import weakref

    from django.db.models import signals

    found = []
    for name in ROW_SIGNALS:
        for _key, receiver, _sender, _is_async in getattr(signals, name).receivers:
            if isinstance(receiver, weakref.ReferenceType):
                receiver = receiver()
            module = _project_module_of(receiver) if receiver is not None else None
            if module:
                found.append(f"{module}: {name}")
    return found


def test_no_module_of_the_portal_connects_a_model_signal():
    # As loaded (every app is ready, so what a ready() imports is connected) …
    assert [f for f in connected_row_signals() if f.split(":")[0] not in SIGNALS_ALLOWED] == []
    # … and in the source, also modules not imported by the tests.
    named = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for app in project_models()
        for path in modules_of(app)
        for line, name in _signal_names_in(path.read_text())
        if str(path.relative_to(ROOT)) not in SIGNALS_ALLOWED
    ]
    assert named == []
    # An allowed module that no longer connects one is taken off the list.
    assert sorted(set(SIGNALS_ALLOWED) - {f.split(":")[0] for f in connected_row_signals()}) == []


def _planted_receiver(sender, instance, **kwargs):
    pass


def test_the_signal_check_finds_a_receiver_connected_or_named():
    from django.db.models.signals import post_delete

    from accounts.models import Unit

    post_delete.connect(_planted_receiver, sender=Unit)
    try:
        assert "tests/test_write_paths.py: post_delete" in connected_row_signals()
    finally:
        post_delete.disconnect(_planted_receiver, sender=Unit)
    assert "tests/test_write_paths.py: post_delete" not in connected_row_signals()
    planted = (
        "from django.db.models.signals import post_save, post_migrate\n"
        "from django.db.models import signals\n"
        "signals.pre_delete.connect(f)\n"
    )
    assert _signal_names_in(planted) == [(1, "post_save"), (3, "pre_delete")]
