"""The API's documentation for people, drawn from the generated OpenAPI document.

A page of the portal like the others, in the language the person chose there."""

import json
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ..models import Account
from .document import document
from .http import cors, error_response, in_language, method_not_allowed, preflight, request_language
from .schemas import MAX_ID, error_codes


@csrf_exempt
def docs(request):
    if request.method == "OPTIONS":
        return preflight()
    if request.method not in ("GET", "HEAD"):
        language = request_language(request)
        with translation.override(language):
            return cors(in_language(error_response(method_not_allowed()), language))
    described = document()
    server = described["servers"][0]["url"]
    example = Account.objects.public().only("code", "url").order_by("display_name", "id").first()
    operations = []
    for path, item in described["paths"].items():
        for method, operation in item.items():
            request_path = operation["x-example-request"]
            # Links that answer with something real, when the register has an account to show.
            if example and path == "/accounts/{code}":
                request_path = f"/accounts/{example.code}"
            elif example and path == "/accounts/verify":
                request_path = "/accounts/verify?" + urlencode({"url": example.url})
            ok = _resolve(described, operation["responses"]["200"])
            body = ok["content"]["application/json"].get("example")
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": server + path,
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "parameters": [_parameter_row(_resolve(described, p)) for p in operation["parameters"]],
                    "example_request": server + request_path,
                    "example_response": json.dumps(body, ensure_ascii=False, indent=2) if body else "",
                    "responses": [
                        (status, _resolve(described, response)["description"])
                        for status, response in operation["responses"].items()
                    ],
                }
            )
    account = described["components"]["schemas"]["Account"]
    context = {
        "info": described["info"],
        "server": server,
        "operations": operations,
        "account_fields": [
            (name, _type_text(schema), schema.get("description", "")) for name, schema in account["properties"].items()
        ],
        "error_codes": error_codes(),
    }
    return cors(render(request, "registry/api_docs.html", context))


def _resolve(described: dict, node: dict) -> dict:
    while "$ref" in node:
        *_root, section, name = node["$ref"].split("/")
        node = described["components"][section][name]
    return node


def _parameter_row(parameter: dict) -> dict:
    return {
        "name": parameter["name"],
        "location": parameter["in"],
        "required": parameter.get("required", False),
        "type": _type_text(parameter["schema"]),
        "description": parameter.get("description", ""),
    }


def _type_text(schema: dict) -> str:
    """A short description of a schema, for people."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for alternatives in ("anyOf", "oneOf"):
        if alternatives in schema and "const" not in schema[alternatives][0]:
            kinds = [_type_text(option) for option in schema[alternatives] if option.get("type") != "null"]
            return _("%(kind)s or null") % {"kind": " / ".join(kinds)}
    if "enum" in schema:
        return _("one of: %(values)s") % {"values": ", ".join(str(value) for value in schema["enum"])}
    kind = schema.get("type")
    if kind == "array":
        return _("list of %(kind)s") % {"kind": _type_text(schema["items"])}
    if kind == "integer":
        parts = [_("whole number")]
        if schema.get("maximum", MAX_ID) < MAX_ID:
            parts.append(_("%(minimum)d to %(maximum)d") % {"minimum": schema["minimum"], "maximum": schema["maximum"]})
        elif "minimum" in schema:
            parts.append(_("from %(minimum)d") % {"minimum": schema["minimum"]})
        if "default" in schema:
            parts.append(_("default %(default)s") % {"default": schema["default"]})
        return ", ".join(parts)
    if kind == "string":
        if schema.get("format") == "date":
            return _("date (YYYY-MM-DD)")
        if schema.get("format") == "uri":
            return _("web address")
        if "maxLength" in schema:
            return _("text, at most %(maximum)d characters") % {"maximum": schema["maxLength"]}
        return _("text")
    if kind == "boolean":
        return _("true or false")
    return str(kind or "")
