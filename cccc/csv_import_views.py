"""The page every import shares (issue 19): upload, preview, confirm.

The file is never kept. It is read in memory (MemoryOnlyUpload: never a temporary file on
disk, whatever Django's FILE_UPLOAD_MAX_MEMORY_SIZE) and forgotten when the request ends;
a request larger than MAX_BYTES is refused from its Content-Length before its body is read.
Between the preview and the import the session holds only a keyed digest of the file (no
value from it, no name): to import, the coordinator chooses the same file again, it is read
and checked again, and it is imported only if its digest matches the previewed one. Nothing
here logs anything of the file, not even its name.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from cccc.access import require_role
from cccc.csv_import import (
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    Checked,
    FileProblem,
    ImportFailed,
    Row,
    read_table,
    too_large_message,
)
from cccc.csv_safe import csv_writer
from cccc.models import Membership, Role

# The form's other fields and the multipart framing, on top of the file itself.
REQUEST_SLACK = 64 * 1024
PENDING = "csv_import_pending"
IMPORTED = "csv_import_done"
ERRORS_SHOWN = 200


@dataclass(frozen=True)
class ImportKind:
    """What one kind of import (families, volunteers) brings to the shared page."""

    name: str  # "families": in messages and the session's note of the preview
    title: str
    template_name: str  # extends cccc/csv_import.html
    template_columns: list[str]  # the template CSV's first row
    known: list[str]  # every column name the import accepts
    required: Callable[[set[str]], set[str]]  # the columns a file must have, given its own
    column_help: Callable[[], list[tuple[str, str]]]  # (column, what goes in it)
    preview_headings: list[str]
    check: Callable[[list[Row], Membership], list[Checked]]  # may raise FileProblem
    save: Callable[[list[Checked], Membership], int]  # raises ImportFailed
    done_url: str
    template_url: str  # the template CSV's URL name


class MemoryOnlyUpload(FileUploadHandler):
    """Keeps an uploaded file in memory, never on disk, and stops at MAX_BYTES. The file's
    own name is dropped: nothing downstream can log it."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file_name = "upload.csv"
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > MAX_BYTES:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, "upload.csv", "text/csv", file_size, None
        )


def file_digest(data: bytes) -> str:
    """A keyed digest: it tells the same file again, and nothing about what is in it."""
    return salted_hmac("cccc.csv_import", data, algorithm="sha256").hexdigest()


def _request_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BYTES + REQUEST_SLACK


def _page(request: HttpRequest, kind: ImportKind, status: int = 200, **context: Any) -> Any:
    return render(
        request,
        kind.template_name,
        {
            "kind": kind,
            "columns": kind.column_help(),
            "max_mb": MAX_BYTES // (1024 * 1024),
            "max_rows": MAX_ROWS,
            **context,
        },
        status=status,
    )


def import_page(request: HttpRequest, kind: ImportKind) -> Any:
    """The import page of one kind, for the coordinator of the centre the records go to.
    csrf_exempt by its caller only so that this can refuse a request too large before its
    body is read, and choose where the file goes; the CSRF check follows."""
    require_role(getattr(request, "membership", None), Role.COORDINATOR)
    if request.method == "POST":
        if _request_too_large(request):
            return _page(request, kind, status=413, problems=[too_large_message()])
        request.upload_handlers = [MemoryOnlyUpload(request)]
        try:
            request.POST, request.FILES  # noqa: B018 - parsed here, so a broken body is ours
        except (MultiPartParserError, SuspiciousOperation):
            return _page(request, kind, status=400, problems=["The upload could not be read."])
    checked_page: Callable[[HttpRequest, ImportKind], Any] = csrf_protect(_upload)
    return checked_page(request, kind)


def _upload(request: HttpRequest, kind: ImportKind) -> Any:
    if request.method != "POST":
        return _page(request, kind)
    handler = request.upload_handlers[0]
    upload = request.FILES.get("file")
    if isinstance(handler, MemoryOnlyUpload) and handler.too_large:
        return _page(request, kind, status=413, problems=[too_large_message()])
    if upload is None:
        return _page(request, kind, problems=["Choose the CSV file to check."])
    data = upload.read()
    upload.close()
    digest = file_digest(data)
    membership = getattr(request, "membership", None)
    assert isinstance(membership, Membership)  # require_role let only a coordinator in
    try:
        table = read_table(data, known=kind.known, required=kind.required)
        checked = kind.check(table.rows, membership)
    except FileProblem as exc:
        request.session.pop(PENDING, None)
        return _page(request, kind, problems=exc.messages)
    errors = sorted(
        [*table.errors, *(e for row in checked for e in row.errors)],
        key=lambda e: (e.row, e.column),
    )
    if errors:
        request.session.pop(PENDING, None)
        rows = len(checked) + len({error.row for error in table.errors})
        return _errors_page(request, kind, errors, rows=rows)
    note = {"kind": kind.name, "digest": digest}
    if request.POST.get("action") == "import" and request.session.get(PENDING) == note:
        try:
            count = kind.save(checked, membership)
        except ImportFailed as exc:
            request.session.pop(PENDING, None)
            return _errors_page(request, kind, exc.errors, rows=len(checked), saving=True)
        request.session.pop(PENDING, None)
        request.session[IMPORTED] = [*request.session.get(IMPORTED, [])[-9:], note]
        messages.success(request, f"Imported {count} {kind.name} from the file.")
        return redirect(kind.done_url)
    changed = request.POST.get("action") == "import"
    request.session[PENDING] = note
    return _page(
        request,
        kind,
        preview=checked,
        changed=changed,
        imported_before=note in request.session.get(IMPORTED, []),
    )


def _errors_page(
    request: HttpRequest,
    kind: ImportKind,
    errors: list[CellError],
    *,
    rows: int,
    saving: bool = False,
) -> Any:
    return _page(
        request,
        kind,
        errors=errors[:ERRORS_SHOWN],
        error_count=len(errors),
        more_errors=max(0, len(errors) - ERRORS_SHOWN),
        error_rows=len({e.row for e in errors}),
        rows=rows,
        saving=saving,
    )


def import_view(kind: ImportKind) -> Callable[[HttpRequest], Any]:
    @csrf_exempt
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> Any:
        return import_page(request, kind)

    return view


def template_view(kind: ImportKind, filename: str) -> Callable[[HttpRequest], HttpResponse]:
    """The template CSV: the column names, in the order of the page's table."""

    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        require_role(getattr(request, "membership", None), Role.COORDINATOR)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # Excel opens a CSV as UTF-8 only with the byte order mark.
        response.write("\ufeff")
        csv_writer(response).writerow(kind.template_columns)
        return response

    return view
