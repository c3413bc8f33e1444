"""A PDF names the organisation that made it as its author: the caller says which (the plan's
unit's organisation, the archive settings' organisation); a caller that does not say gets the
portal's default organisation, as in a portal with one organisation. No hospital is named in
core/pdf.py itself."""

import io

import pikepdf
import pytest

from core.pdf import write_pdf

PAGE = '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Vedtak</title></head><body><p>Godkjent.</p></body></html>'


def author(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return str(pdf.docinfo.Author)


@pytest.mark.parametrize("archival", [False, True])
def test_the_author_is_the_organisation_the_caller_names(archival):
    assert author(write_pdf(PAGE, author="Helse Stavanger", archival=archival)) == "Helse Stavanger"


def test_without_an_author_the_default_organisation_is_named(settings):
    settings.DEFAULT_ORGANISATION = {**settings.DEFAULT_ORGANISATION, "name": "Helse Førde"}
    assert author(write_pdf(PAGE)) == "Helse Førde"
