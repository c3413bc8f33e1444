"""The open API answers as it did before it was built on django-ninja, and its OpenAPI
document still describes everything the old one did.

tests/data holds what the API gave before: the answers to a fixed set of requests about a
fixed register (tests/api_answers.py), and the document in each of its languages."""

import json

import pytest

from core import caching
from core.pagecache import public_data
from registry.verification import CACHE_NAME

from . import api_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def answers_made_afresh(settings):
    settings.PUBLIC_PAGE_CACHE = False


# Added since (a new field of every account and every unit, never a changed one): the organisation
# whose account or unit it is. Every account and unit of the fixed register is the default organisation's.
ADDED_TO_ACCOUNTS = {"organisation": {"slug": "helse-bergen", "name": "Helse Bergen"}}
ADDED_TO_UNITS = ADDED_TO_ACCOUNTS


def _without_additions(answer, found: list):
    """`answer` with the fields added since taken out of every account in it (each one's value
    kept in `found`)."""
    if isinstance(answer, list):
        return [_without_additions(item, found) for item in answer]
    if not isinstance(answer, dict):
        return answer
    if "register_url" in answer and "code" in answer:  # an account
        found.append({name: answer.get(name) for name in ADDED_TO_ACCOUNTS})
        answer = {name: value for name, value in answer.items() if name not in ADDED_TO_ACCOUNTS}
    if "kind" in answer and "parent" in answer:  # a unit
        found.append({name: answer.get(name) for name in ADDED_TO_UNITS})
        answer = {name: value for name, value in answer.items() if name not in ADDED_TO_UNITS}
    return {name: _without_additions(value, found) for name, value in answer.items()}


def test_every_answer_is_the_one_given_before(client, cast):
    api_answers.make_register(cast)
    before = json.loads(api_answers.ANSWERS.read_text(encoding="utf-8"))
    now = api_answers.answers(client, cast)
    assert len(now) == len(before) == len(api_answers.REQUESTS)
    added = []
    for old, new in zip(before, now, strict=True):
        assert _without_additions(new, added) == old, old["request"]
    # The accounts of the answers carry the new field, with the organisation's slug and name.
    assert added and all(found == ADDED_TO_ACCOUNTS for found in added)


# The document ------------------------------------------------------------------------------

# Where the generated document necessarily differs from the one written by hand before, each
# checked below as it is (so that a further difference is not hidden by these):
DIFFERENCES = {
    "nullable": "A value that may be null is anyOf [the type, null] (pydantic's way), not oneOf: the same for "
    "one type and null.",
    "ErrorBody": "The object inside an error, {code, message}, is a schema of its own (ErrorBody) that Error "
    "refers to, as every nested object of the generated document is; before, it was written inside Error.",
    "inline parameters": "The lang and platform parameters are written in each operation, as the operations "
    "declare them, not as references to components.parameters, which keeps only the two header parameters.",
    "defaults": 'A query parameter declared with a default shows it (q: "").',
    "organisation": "An account and a unit name their organisation (a new required field, OrganisationRef, with "
    "the organisation's slug and name), and /accounts and /units take the organisation parameter. Required "
    "fields may be added to an answer; none may go.",
}
# What a schema says about the values it allows, compared keyword by keyword.
KEYWORDS = ("type", "format", "enum", "const", "minimum", "maximum", "minLength", "maxLength", "pattern")


def _resolve(document, node):
    while isinstance(node, dict) and "$ref" in node:
        *_root, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def _nullable(schema):
    """The one type of `schema` when it is that type or null, else None."""
    for either in ("anyOf", "oneOf"):
        options = schema.get(either, [])
        if len(options) == 2 and {"type": "null"} in options:
            return next(option for option in options if option != {"type": "null"})
    return None


def _shape(document, schema, where) -> dict:
    """What `schema` allows, with its references followed: {where: keywords}, for every object
    property and array item below it."""
    schema = _resolve(document, schema)
    shapes = {}
    inner = _nullable(schema)
    if inner is not None:
        shapes[where] = {"nullable": True}
        shapes.update(_shape(document, inner, where + "?"))
        return shapes
    shapes[where] = {key: schema[key] for key in KEYWORDS if key in schema}
    if "oneOf" in schema:
        shapes[where]["oneOf"] = [option.get("const") for option in schema["oneOf"]]
    if schema.get("type") == "object":
        shapes[where]["required"] = sorted(schema.get("required", []))
        shapes[where]["additionalProperties"] = schema.get("additionalProperties", True)
        for name, member in schema.get("properties", {}).items():
            shapes.update(_shape(document, member, f"{where}.{name}"))
    if schema.get("type") == "array":
        shapes.update(_shape(document, schema["items"], where + "[]"))
    return shapes


def _parameters(document, operation) -> dict:
    found = {}
    for parameter in operation.get("parameters", []):
        parameter = _resolve(document, parameter)
        found[(parameter["in"], parameter["name"])] = (
            parameter.get("required", False),
            _shape(document, parameter["schema"], parameter["name"]),
        )
    return found


def _responses(document, operation) -> dict:
    found = {}
    for status, response in operation["responses"].items():
        response = _resolve(document, response)
        headers = {name: _resolve(document, header) for name, header in response.get("headers", {}).items()}
        content = {
            kind: _shape(document, media["schema"], "body") for kind, media in response.get("content", {}).items()
        }
        found[status] = (headers, content)
    return found


def _kept(old: dict, new: dict) -> list[str]:
    """What of the shapes in `old` is not in `new` as it was: every keyword the old one had."""
    lost = []
    for where, keywords in old.items():
        if where not in new:
            lost.append(f"{where} is gone")
            continue
        for key, value in keywords.items():
            if key == "required" and set(value) <= set(new[where].get(key, [])):
                continue  # a field added to an answer (see DIFFERENCES["organisation"])
            if new[where].get(key) != value:
                lost.append(f"{where}: {key} was {value!r}, is {new[where].get(key)!r}")
    return lost


def _served(client, language):
    return client.get("/api/v1/openapi.json", {"lang": language}).json()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_document_describes_all_the_old_one_did(client, catalogue, language):
    old = json.loads((api_answers.DATA / f"openapi-{language}.json").read_text(encoding="utf-8"))
    new = _served(client, language)
    assert new["openapi"] == old["openapi"] == "3.1.0"
    assert new["info"] == old["info"] and new["servers"] == old["servers"]
    lost = []
    for path, item in old["paths"].items():
        for method, operation in item.items():
            assert method in new["paths"].get(path, {}), f"{method.upper()} {path} is gone"
            now = new["paths"][path][method]
            for key in ("operationId", "summary", "description", "x-example-request"):
                assert now[key] == operation[key], (path, key)
            old_parameters, new_parameters = _parameters(old, operation), _parameters(new, now)
            for name, (required, shape) in old_parameters.items():
                assert name in new_parameters, f"{path}: parameter {name} is gone"
                assert new_parameters[name][0] == required, (path, name)
                lost += [f"{path} {name}: {text}" for text in _kept(shape, new_parameters[name][1])]
            old_responses, new_responses = _responses(old, operation), _responses(new, now)
            assert set(new_responses) == set(old_responses), path
            for status, (headers, content) in old_responses.items():
                assert new_responses[status][0] == headers, (path, status)
                assert set(new_responses[status][1]) == set(content), (path, status)
                for kind, shape in content.items():
                    lost += [f"{path} {status}: {text}" for text in _kept(shape, new_responses[status][1][kind])]
    assert lost == []
    for section in ("headers", "responses"):
        assert new["components"][section] == old["components"][section]


def test_the_differences_are_those_named(client, catalogue):
    old = json.loads((api_answers.DATA / "openapi-en.json").read_text(encoding="utf-8"))
    new = _served(client, "en")
    old_schemas, new_schemas = old["components"]["schemas"], new["components"]["schemas"]
    # ErrorBody and OrganisationRef: the schemas added; every other keeps its name.
    assert set(new_schemas) - set(old_schemas) == {"ErrorBody", "OrganisationRef"}
    assert set(old_schemas) <= set(new_schemas)
    # organisation: the one field added to an account, required, and the one parameter added.
    account, old_account = new_schemas["Account"], old_schemas["Account"]
    assert set(account["required"]) - set(old_account["required"]) == {"organisation"}
    assert "#/components/schemas/OrganisationRef" in json.dumps(account["properties"]["organisation"])
    assert set(new_schemas["OrganisationRef"]["required"]) == {"slug", "name"}
    old_parameters = {_resolve(old, p)["name"] for p in old["paths"]["/accounts"]["get"]["parameters"]}
    new_parameters = {_resolve(new, p)["name"] for p in new["paths"]["/accounts"]["get"]["parameters"]}
    assert new_parameters - old_parameters == {"organisation"}
    unit, old_unit = new_schemas["Unit"], old_schemas["Unit"]
    assert set(unit["required"]) - set(old_unit["required"]) == {"organisation"}
    assert "#/components/schemas/OrganisationRef" in json.dumps(unit["properties"]["organisation"])
    old_parameters = {_resolve(old, p)["name"] for p in old["paths"]["/units"]["get"].get("parameters", [])}
    new_parameters = {_resolve(new, p)["name"] for p in new["paths"]["/units"]["get"]["parameters"]}
    assert new_parameters - old_parameters == {"organisation"}
    assert new_schemas["Error"]["properties"]["error"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "properties" in old_schemas["Error"]["properties"]["error"]
    # nullable: the same two options, under anyOf.
    assert old_schemas["Account"]["properties"]["live_since"]["oneOf"] == [
        {"type": "string", "format": "date"},
        {"type": "null"},
    ]
    assert new_schemas["Account"]["properties"]["live_since"]["anyOf"] == [
        {"format": "date", "type": "string"},
        {"type": "null"},
    ]
    # inline parameters: lang and platform.
    assert set(old["components"]["parameters"]) - set(new["components"]["parameters"]) == {"lang", "platform"}
    accounts = new["paths"]["/accounts"]["get"]["parameters"]
    assert {"lang", "platform"} <= {parameter.get("name") for parameter in accounts}
    # defaults: q's.
    q = next(parameter for parameter in accounts if parameter.get("name") == "q")
    assert q["schema"]["default"] == ""
    # Nothing else: no titles in English, no other keyword.
    assert '"title"' not in json.dumps(new["components"]["schemas"])


# Queries ------------------------------------------------------------------------------------

# (address, queries the first time, and asked again) as the API made them before; {unit} is the
# cast's unit. Verify is remembered in the shared cache: asked again, it is that one read.
QUERIES = [
    ("/api/v1/accounts", 2, 2),
    ("/api/v1/accounts?platform=instagram&unit={unit}&q=blod", 3, 3),
    ("/api/v1/accounts?page_size=1&page=2", 2, 2),
    ("/api/v1/accounts/aaaa11", 1, 1),
    ("/api/v1/accounts/zzzz99", 1, 1),
    ("/api/v1/accounts/verify?url=https://www.instagram.com/blodbanken_bergen/", 4, 1),
    ("/api/v1/accounts/verify?url=@blodbanken", 4, 1),
    ("/api/v1/accounts/verify?url=@ingen_her", 4, 1),
    ("/api/v1/platforms", 1, 1),
    ("/api/v1/units", 1, 1),
    ("/api/v1/openapi.json", 1, 1),
    ("/api/v1/", 2, 2),
]


@pytest.mark.parametrize(("address", "first", "again"), QUERIES, ids=[q[0] for q in QUERIES])
def test_no_answer_costs_more_queries_than_before(client, cast, django_assert_max_num_queries, address, first, again):
    api_answers.make_register(cast)
    # The cache's generations exist, as on a running site (its first change drew them), so what
    # is counted is the answer, not also starting the generations after the cache was emptied.
    for name in {"pages", CACHE_NAME, *public_data.ask()}:
        caching.renew(name)
    address = address.replace("{unit}", str(cast["unit"].pk))
    client.get("/api/v1/platforms")  # the catalogue read once, as on a running site
    # So are the lists each process keeps for the pages' header and footer (the organisations).
    client.get("/verifiser/")
    for most in (first, again):
        with django_assert_max_num_queries(most):
            assert client.get(address).status_code in (200, 400, 404)
