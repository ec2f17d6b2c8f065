"""Spreadsheets for the import tests (issue 19): rows written as CSV bytes, and the upload
of such a file to an import page, as a browser sends it."""

import csv
import io
import logging

from django.core.files.uploadedfile import SimpleUploadedFile

# The name the coordinator's file has on their computer: it must reach no log.
FILE_NAME = "Quokka-Zanzibar-families.csv"


def csv_bytes(header: list[str], rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def upload(client, url: str, data: bytes, *, action: str = "preview", name: str = FILE_NAME):
    return client.post(
        url, {"action": action, "file": SimpleUploadedFile(name, data, content_type="text/csv")}
    )


def check_and_import(client, url: str, data: bytes):
    """Preview the file, then choose it again and import it, as the coordinator does."""
    preview = upload(client, url, data)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    return upload(client, url, data, action="import")


def capture_every_log(caplog, monkeypatch) -> None:
    """Every logger at DEBUG into caplog, those that do not pass their records up to the root
    (django.request) included."""
    caplog.set_level(logging.DEBUG)
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and not logger.propagate:
            monkeypatch.setattr(logger, "level", logging.DEBUG)
            monkeypatch.setattr(logger, "handlers", [*logger.handlers, caplog.handler])
