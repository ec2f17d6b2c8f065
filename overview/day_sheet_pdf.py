"""The day sheet as a PDF (overview/day_sheet_services.py says what it holds), built with
reportlab like the project's other PDFs (disclosures/pdf.py: why reportlab, and the styles used
here). The same content gives the same bytes (`invariant=1`), and the document's metadata holds
no name.

Text goes through `escape` (reportlab reads a Paragraph's text as markup), and every table may
split inside a row, so a room or a volunteer's name at the longest a form accepts, and a day of
any number of sessions, lay out over as many pages as they need
(tests/disclosures/test_pdf_limits.py).
"""

import io
from html import escape

from django.utils import dateformat
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from disclosures.pdf import BODY, HEADING, MARGIN, SMALL, SUBHEADING, TITLE, WIDTH
from families.timeline import PlanRow
from overview.day_sheet_services import CONFIDENTIAL, DaySheet, SheetSession

PLAN_HEADER = ["Adult", "Arrives", "Leaves after handover", "Returns to collect", "Departs"]
ROLE_WIDTH = 58 * mm


def _p(text: str, style=SMALL) -> Paragraph:
    return Paragraph(escape(str(text), quote=False), style)


def _adult(row: PlanRow) -> str:
    notes = [note for note, shown in (("brings the child", row.brings_child),
                                      ("kept apart", row.kept_apart)) if shown]  # fmt: skip
    return f"{row.role} ({', '.join(notes)})" if notes else row.role


def _plan(session: SheetSession) -> Flowable:
    if not session.plan:
        return _p("No adults planned.")
    rows = [[_p(cell) for cell in PLAN_HEADER]] + [
        [_p(_adult(row)), _p(row.arrives), _p(row.leaves or "–"), _p(row.returns or "–"),
         _p(row.departs)]
        for row in session.plan
    ]  # fmt: skip
    time_width = (WIDTH - ROLE_WIDTH) / 4
    table = Table(
        rows,
        colWidths=[ROLE_WIDTH] + [time_width] * 4,
        hAlign="LEFT",
        repeatRows=1,
        splitInRow=1,
    )
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor("#444444")),
        ]
    )
    return table


def day_sheet_pdf(sheet: DaySheet) -> bytes:
    day = dateformat.format(sheet.day, "l j F Y")
    story: list[Flowable] = [
        _p(f"Day sheet: {day}", TITLE),
        _p(sheet.centre.name, BODY),
        _p(CONFIDENTIAL),
        Spacer(1, 3 * mm),
    ]
    if not sheet.rooms:
        story.append(_p("No sessions are booked on this day.", BODY))
    for room, sessions in sheet.rooms:
        story.append(_p(room, HEADING))
        for session in sessions:
            heading = (
                f"{session.hours} · {session.reference} · {session.contact_type} · "
                f"in the building {session.in_building}"
            )
            story += [
                _p(heading, SUBHEADING),
                _plan(session),
                Spacer(1, 1.5 * mm),
                _p(f"Volunteers: {session.cover}"),
            ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Day sheet {sheet.day.isoformat()}",
        author="",
        subject="",
        creator="",
        invariant=1,
    ).build(story)
    return buffer.getvalue()
