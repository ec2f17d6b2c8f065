"""The families import and its file (issue 19, point 4): bad files get a message and never
a 500, the file is never kept (not on disk, not in the session) and reaches no log, the
import is one transaction, and only the centre's coordinator reaches it."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccc.audit import verify_chain
from cccc.csv_import import MAX_BYTES, RowRefused
from families.import_services import FamilyImportRow, families_import
from families.models import Adult, Child, Family, ReferenceCounter, Referral
from tests.csv_upload import FILE_NAME, capture_every_log, check_and_import, csv_bytes, upload
from tests.factories import FamilyFactory
from tests.families.test_family_import import URL, counts, families_csv, family

pytestmark = pytest.mark.django_db


def message(response) -> str:
    html = response.content.decode()
    found = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


# --- bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Type of agency,Zoë\n".encode("cp1252"), "The file is not in UTF-8"),
        (b"", "The file is empty."),
        (b"\n\n", "The file is empty."),
        (b"PK\x03\x04\x14\x00", "This is an Excel workbook"),
        (b"name,age\nAnn,4\n", "none of them is there"),
    ],
)
def test_a_bad_file_gets_a_message_that_says_what_to_do(cast, login, data, expected):
    response = upload(login(cast.coordinator), URL, data)
    assert response.status_code == 200
    assert expected in message(response)
    assert "Nothing was saved" in message(response) or "Choose" in message(response)


def test_no_file_chosen_is_a_message(cast, login):
    response = login(cast.coordinator).post(URL, {"action": "preview"})
    assert "Choose the CSV file to check." in message(response)


def test_a_file_with_excels_byte_order_mark_is_read(cast, login):
    response = check_and_import(login(cast.coordinator), URL, families_csv(family(), bom=True))
    assert response.status_code == 302 and Family.objects.count() == 1


def test_extra_and_missing_columns_are_named(cast, login):
    header = [
        c for c in families_csv(family()).decode().splitlines()[0].split(",")
        if c not in {"Contact needed", "Adult 2 phone"}
    ] + ["Shoe size", "Adult 3 role"]  # fmt: skip
    header = [c for c in header if not c.startswith("Adult 3") or c == "Adult 3 role"]
    text = message(upload(login(cast.coordinator), URL, csv_bytes(header, [family()])))
    assert "missing: “Contact needed”, “Adult 2 phone”, “Adult 3 first name”" in text
    assert "not in the template: “Shoe size”" in text


def test_too_many_rows_are_refused(cast, login):
    data = families_csv(*[family()] * 101)
    response = upload(login(cast.coordinator), URL, data)
    assert "more than 100 rows" in message(response)
    assert Family.objects.count() == 0


class CountingStream(io.BytesIO):
    """The request body, counting what the application reads of it."""

    read_so_far = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_so_far += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.read_so_far += len(line)
        return line


def test_ten_megabytes_of_junk_are_refused_without_being_read(cast, login):
    junk = SimpleUploadedFile(FILE_NAME, b"\x00junk" * (2 * 1024 * 1024), "text/csv")
    body = encode_multipart(BOUNDARY, {"action": "preview", "file": junk})
    stream = CountingStream(body)
    response = login(cast.coordinator).generic(
        "POST", URL, body, content_type=MULTIPART_CONTENT, **{"wsgi.input": stream}
    )
    assert len(body) > 10_000_000
    assert response.status_code == 413
    assert f"larger than {MAX_BYTES // 2**20} MB, so it was not read" in message(response)
    assert stream.read_so_far == 0


def test_a_file_over_the_limit_is_refused_even_when_the_request_hides_its_size(cast, login):
    """Behind the Content-Length check, the upload handler stops at the limit too."""
    client = login(cast.coordinator)
    response = upload(client, URL, b"x" * (MAX_BYTES + 1))
    assert response.status_code == 413


def test_the_file_is_never_written_to_disk(cast, login, settings, tmp_path):
    # With Django's own handlers, a file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a
    # temporary file in FILE_UPLOAD_TEMP_DIR: here a directory that does not exist.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "not-there")
    response = check_and_import(login(cast.coordinator), URL, families_csv(family()))
    assert response.status_code == 302 and Family.objects.count() == 1


def test_a_broken_upload_is_a_message_not_a_500(cast, login):
    client = login(cast.coordinator)
    response = client.generic(
        "POST", URL, b"--nonsense\r\n\r\n", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert "could not be read" in message(response)


def test_the_page_still_checks_the_csrf_token(cast):
    from tests.conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), cast.coordinator)
    data = families_csv(family())
    response = client.post(URL, {"file": SimpleUploadedFile("f.csv", data), "action": "preview"})
    assert response.status_code == 403
    assert Family.objects.count() == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(min_size=1, max_size=2000) | st.text(max_size=500).map(str.encode))
def test_random_bytes_never_make_a_500(cast, client, data):
    from tests.conftest import sign_in

    sign_in(client, cast.coordinator)
    response = upload(client, URL, data)
    assert response.status_code == 200
    assert message(response) or "Preview" in response.content.decode()


# --- nothing of the file in any log -----------------------------------------------------------

VALUES = ["Wilhelmina", "Quarrington", "Hidden Lane", "900123", "wq@example.org", "Theodora",
          "Non-molestation", "Asthma", "Hartley"]  # fmt: skip


def test_neither_the_files_name_nor_its_values_reach_any_log(cast, login, caplog, monkeypatch):
    capture_every_log(caplog, monkeypatch)
    client = login(cast.coordinator)
    good = families_csv(family())
    bad = families_csv(family(**{"Child 1 date of birth": "Wilhelmina"}))
    upload(client, URL, bad)
    upload(client, URL, b"Wilhelmina;Quarrington\n")
    upload(client, URL, "Wilhelmina,Zoë\n".encode("cp1252"))
    upload(client, URL, b"x" * (MAX_BYTES + 1))
    check_and_import(client, URL, good)
    assert Family.objects.count() == 1
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    # The capture works: Django logs the refused request, by its path only.
    assert "Request Entity Too Large: /families/import/" in caplog.text
    assert FILE_NAME not in logged and "Quokka" not in logged
    for value in VALUES:
        assert value not in logged, value


# --- one transaction --------------------------------------------------------------------------


def test_a_row_refused_while_saving_undoes_every_row_before_it(cast, login):
    """The second family's reference is taken (made outside the counter): the whole import
    is refused, naming the row, and every record is as it was."""
    year = timezone.localdate().year
    FamilyFactory(centre=cast.centre, reference=f"HOM-{year}-0002")
    before = counts()
    client = login(cast.coordinator)
    response = check_and_import(client, URL, families_csv(family(), family(), family()))
    assert response.status_code == 200
    assert "refused while saving" in message(response)
    assert "<tr><td>3</td>" in response.content.decode()
    assert counts() == before
    assert not ReferenceCounter.objects.exists()
    assert verify_chain().ok


def test_the_service_saves_all_the_rows_or_none(cast):
    def row(number, children=True):
        referral = Referral(
            agency_type="self", contact_type="supported", risk_domestic_abuse="no",
            risk_abduction="no", risk_substance_misuse="no", risk_mental_health="no",
        )  # fmt: skip
        adults = [Adult(role="resident", first_name="A", last_name="B"),
                  Adult(role="non_resident", first_name="C", last_name="D")]  # fmt: skip
        kids = [Child(first_name="E", last_name="F", date_of_birth=timezone.localdate())]
        return FamilyImportRow(number, referral, adults, kids if children else [], None)

    before = counts()
    with pytest.raises(RowRefused) as refused:
        families_import(centre=cast.centre, by=cast.coordinator, rows=[row(2), row(3, False)])
    assert refused.value.row == 3
    assert counts() == before
    families_import(centre=cast.centre, by=cast.coordinator, rows=[row(2), row(3)])
    assert Family.objects.count() == 2


def test_the_service_refuses_anyone_but_the_centres_coordinator(cast):
    from django.core.exceptions import ValidationError

    for user in [cast.chair, cast.other_coordinator]:
        with pytest.raises(ValidationError):
            families_import(centre=cast.centre, by=user, rows=[])


# --- who reaches it ---------------------------------------------------------------------------

OUTSIDERS = ["chair", "volunteer", "referrer", "operator", "other_chair", "other_volunteer"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_but_a_coordinator_reaches_the_import(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(URL).status_code == 404
    assert client.get("/families/import/template.csv").status_code == 404
    assert upload(client, URL, families_csv(family())).status_code == 404
    assert upload(client, URL, families_csv(family()), action="import").status_code == 404
    assert Family.objects.count() == 0


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
    assert upload(client, URL, b"x").status_code == 302


def test_another_centres_coordinator_imports_into_their_own_centre_only(cast, login):
    row = family(**{"Referrer email": cast.other_referrer.email})
    response = check_and_import(login(cast.other_coordinator), URL, families_csv(row))
    assert response.status_code == 302
    imported = Family.objects.get()
    assert imported.centre == cast.other_centre and imported.reference.startswith("OTH-")
    assert Referral.objects.get().referrer == cast.other_referrer
