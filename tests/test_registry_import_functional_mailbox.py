"""The register's import marks a name-shaped login address as a functional mailbox, as the
account form's tick box does, so the organisation's e-mail domains (ORGANISATION_EMAIL_DOMAINS)
can be set without refusing the accounts an adviser has checked."""

import pytest
from django.urls import reverse

from registry import transfer_import
from registry.models import Account

from .test_registry_transfer import IMPORT_HEADER, english, row, upload  # noqa: F401

NAME_SHAPED = "blodbanken.some@helse-bergen.no"  # two name-like parts on the organisation's domain


@pytest.fixture(autouse=True)
def organisation_domains(settings):
    settings.ORGANISATION_EMAIL_DOMAINS = ["helse-bergen.no"]


def errors(response) -> list[tuple[str, str]]:
    return [error for r in response.context["check"].rows for error in r.errors]


def test_a_name_shaped_login_without_the_mark_is_refused_and_the_message_names_the_column(client, cast, catalogue):
    client.force_login(cast["adviser"])
    response = upload(client, IMPORT_HEADER + "\n" + row(login_email=NAME_SHAPED, functional_mailbox=""))
    assert not response.context["check"].is_valid
    assert [column for column, _message in errors(response)] == ["login_email"]
    assert "write “yes” in the column functional_mailbox" in errors(response)[0][1]
    assert not Account.objects.exists()


@pytest.mark.parametrize("mark", ["yes", "Ja", "X", "true"])
def test_with_the_mark_the_account_is_imported_as_a_checked_functional_mailbox(client, cast, catalogue, mark):
    client.force_login(cast["adviser"])
    text = IMPORT_HEADER + "\n" + row(login_email=NAME_SHAPED, functional_mailbox=mark)
    check = upload(client, text)
    assert check.context["check"].is_valid, errors(check)
    response = client.post(reverse("registry:import"), {"payload": check.context["payload"], "action": "import"})
    assert response.status_code == 302
    account = Account.objects.get()
    assert account.login_email == NAME_SHAPED and account.functional_mailbox


def test_without_the_mark_an_address_that_is_not_name_shaped_goes_in_unmarked(client, cast, catalogue):
    client.force_login(cast["adviser"])
    check = upload(
        client, IMPORT_HEADER + "\n" + row(login_email="blodbanken@helse-bergen.no", functional_mailbox="no")
    )
    assert check.context["check"].is_valid, errors(check)
    client.post(reverse("registry:import"), {"payload": check.context["payload"], "action": "import"})
    assert Account.objects.get().functional_mailbox is False


def test_the_mark_never_lets_a_persons_own_address_in(client, cast, catalogue):
    client.force_login(cast["adviser"])
    response = upload(client, IMPORT_HEADER + "\n" + row(login_email=cast["member"].email, functional_mailbox="yes"))
    assert [column for column, _message in errors(response)] == ["login_email"]
    assert "This is a person's address." in errors(response)[0][1]


def test_a_mark_that_is_neither_yes_nor_no_is_refused(client, cast, catalogue):
    client.force_login(cast["adviser"])
    response = upload(client, IMPORT_HEADER + "\n" + row(login_email=NAME_SHAPED, functional_mailbox="kanskje"))
    columns = [column for column, _message in errors(response)]
    assert "functional_mailbox" in columns
    assert "Write “yes” or “no”, or leave it empty." in dict(errors(response))["functional_mailbox"]


def test_the_column_is_optional_and_explained_on_the_upload_page_and_in_the_example(client, cast, catalogue):
    client.force_login(cast["adviser"])
    without = IMPORT_HEADER.replace(",functional_mailbox", "")
    line = row(login_email="blodbanken@helse-bergen.no").split(",")
    del line[IMPORT_HEADER.split(",").index("functional_mailbox")]
    assert upload(client, without + "\n" + ",".join(line)).context["check"].is_valid
    page = client.get(reverse("registry:import")).content.decode()
    assert "<code>functional_mailbox</code>" in page and "This is a functional mailbox" in page
    example = client.get(reverse("registry:import_template")).content
    assert transfer_import.read_table(example.decode("utf-8-sig")).rows[0][1]["functional_mailbox"] == "yes"
    checked = upload(client, example).context["check"].rows[0]
    assert checked.details.functional_mailbox and not checked.has_error("login_email")
