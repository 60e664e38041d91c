"""OpenAPI post-processing: document the error answers that every operation can give.

drf-spectacular documents what a view declares; the answers that come from the framework
(401/403 for a missing or wrong credential, 404 for an unknown id, 400 with the serializer's
per-field messages or for a NUL byte in the address, 409 from a service's DomainError, 413
for a body over the size limit) are added here once, so the schema
lists every status the API sends (checked by tests/security/test_api_fuzz.py).

The stable error codes are listed too (the ErrorCode schema): each app defines its own in
its errors.py, infra/errors.py holds the ones every app may answer with.
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}

ERROR = {"$ref": "#/components/schemas/Error"}
CONFLICT = {"$ref": "#/components/schemas/Conflict"}
ERROR_CODE = {"$ref": "#/components/schemas/ErrorCode"}
FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}
# Codes DRF itself answers with (401, 403, 405, 406, 415, 429, a body it cannot parse).
FRAMEWORK_CODES = (
    "not_authenticated, authentication_failed, method_not_allowed, not_acceptable, "
    "unsupported_media_type, throttled, parse_error"
)


def error_code_definitions() -> list[tuple[str, str]]:
    """(code, module) for every member of every errors module's ErrorCode, in layer order."""
    modules = [import_module("infra.errors")]
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "errors"):
            modules.append(import_module(f"{config.name}.errors"))
    return [
        (member.value, module.__name__)
        for module in modules
        for member in getattr(module, "ErrorCode", ())
    ]


def error_codes() -> list[str]:
    """Every stable error code of the project, sorted."""
    return sorted({code for code, _module in error_code_definitions()})


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_error_responses(result, generator, request, public):
    """Add 400/401/403/404/409/413 answers to the operations that can give them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorCode"] = {
        "type": "string",
        "enum": error_codes(),
        "description": "The stable code of a refused request: programs and tests rely on it, "
        "the detail beside it is for people and translated.",
    }
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "One of ErrorCode, or one of the API framework's: "
                    + FRAMEWORK_CODES
                    + ".",
                },
                "detail": {"type": "string"},
            },
            "required": ["code", "detail"],
        },
    )
    schemas["Conflict"] = {
        "type": "object",
        "description": "A use case refused in the current state (a DomainError); numbers a "
        "program may need (places_left, requested) can stand beside the code.",
        "properties": {"code": ERROR_CODE, "detail": {"type": "string"}},
        "required": ["code", "detail"],
    }
    schemas["FieldErrors"] = {
        "type": "object",
        "description": "Messages per invalid field (`non_field_errors` for the whole input).",
        "additionalProperties": {
            "anyOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]
        },
    }
    bad_input = _json("Invalid input.", {"anyOf": [ERROR, FIELD_ERRORS]})
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            security = operation.get("security")
            if security and {} not in security:
                responses.setdefault("401", _json("Not signed in or unknown credential.", ERROR))
                responses.setdefault("403", _json("Not allowed for this account.", ERROR))
            takes_input = "requestBody" in operation or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            if "{" in path or takes_input:
                # An unknown id in the path, or one the input refers to (a check-in list).
                responses.setdefault("404", _json("Not found, or not yours.", ERROR))
            if method != "get":
                # A DomainError of the service: the state does not allow it (stand taken…).
                responses.setdefault("409", _json("Not possible in the current state.", CONFLICT))
            if takes_input or "400" in responses:
                # The serializer's per-field messages, or a DomainError's code and detail.
                responses["400"] = bad_input
            else:
                # A NUL byte in the address (input_limits.RejectNulMiddleware).
                responses.setdefault("400", _json("Invalid address.", ERROR))
            if "requestBody" in operation:
                # A body over DATA_UPLOAD_MAX_MEMORY_SIZE.
                responses.setdefault("413", _json("The request is too large.", ERROR))
    return result
