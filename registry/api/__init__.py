"""The open API: the register of official accounts as JSON, for anyone, without a key.

Built on django-ninja: schemas.py says what it answers (one list of fields), endpoints.py the
operations, http.py how it speaks HTTP (as decorators), document.py the OpenAPI document made
from them, and docs.py the page for people drawn from that document. registry/api_urls.py
gives them their addresses under /api/v1/."""
