"""PDFs: the witness summons letter (CHE-WS), the readable copy of a subject access export
(CHE-DP6) and an adult's arrangement letter (issue 18).

Built with reportlab because it is pure Python: no Cairo, Pango or headless browser to install
in the image or on a developer's machine (WeasyPrint and wkhtmltopdf both need system
libraries). `invariant=1` makes the same content give the same bytes (no creation time or
random document ID), and the document's metadata holds IDs only, never a name.

Everything typed by a user goes through `_text`, which escapes it: reportlab's Paragraph reads
its text as markup, and a stray "<" or "&" must print, not break the document.

Any text a form accepts must lay out (tests/disclosures/test_pdf_limits.py renders every PDF
with every field at its longest): text runs as Paragraphs, which split across pages, and a
table row taller than a page splits inside the row (`splitInRow`) instead of failing with a
LayoutError.
"""

import io
from html import escape

from django.utils import dateformat
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from disclosures.sar_export import WITHHELD_NOTICE, Export, display
from disclosures.summons_services import Letter
from families.arrangements import ON_ARRIVAL, RULES, Arrangement

STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10.5, leading=14)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9.5, leading=12.5)
QUOTE = ParagraphStyle("quote", parent=SMALL, leftIndent=8 * mm)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=2)
HEADING = ParagraphStyle("heading", parent=STYLES["Heading2"], fontSize=13, spaceBefore=8)
SUBHEADING = ParagraphStyle("subheading", parent=STYLES["Heading3"], fontSize=11, spaceBefore=6)
TITLE = ParagraphStyle("title", parent=STYLES["Title"], fontSize=16, alignment=0)
MARGIN = 22 * mm
WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH = 55 * mm


def _text(value: str) -> str:
    return escape(str(value), quote=False)


def _lines(lines: list[str]) -> str:
    return "<br/>".join(_text(line) for line in lines)


def _build(story: list, *, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="",
        subject="",
        creator="",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()


def letter_pdf(letter: Letter, *, title: str) -> bytes:
    """The letter to the court and/or solicitor, with the centre's policy quoted after it."""
    story = [
        Paragraph(f"<b>{_text(letter.centre_name)}</b><br/>{_lines(letter.centre_address)}", RIGHT),
        Spacer(1, 4 * mm),
        Paragraph(_text(letter.date), RIGHT),
        Spacer(1, 6 * mm),
        Paragraph(_lines(letter.recipient), BODY),
        Spacer(1, 6 * mm),
        Paragraph("Dear Sir or Madam,", BODY),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>{_text(letter.subject)}</b>", BODY),
        Spacer(1, 2 * mm),
    ]
    for paragraph in letter.paragraphs:
        story += [Paragraph(_text(paragraph), BODY), Spacer(1, 2 * mm)]
    story.append(Paragraph(_text(letter.policy_heading), BODY))
    for lines in letter.policy_paragraphs:
        story += [Paragraph(_lines(lines), QUOTE), Spacer(1, 1.5 * mm)]
    story.append(Spacer(1, 4 * mm))
    story.append(
        KeepTogether(
            [Paragraph(_text(line), BODY) if line else Spacer(1, 8 * mm) for line in letter.closing]
        )
    )
    return _build(story, title=title)


def sar_pdf(export: Export, *, title: str) -> bytes:
    """The readable copy of a subject access export: every item, section by section."""
    sar = export.request
    story = [
        Paragraph(_text(f"Information {export.centre_name} holds about you"), TITLE),
        Paragraph(
            _text(
                f"Subject access request #{sar.pk}, received on {display(sar.received_on)}. "
                f"This copy was made on {display(export.generated_at)}."
            ),
            BODY,
        ),
        Paragraph(_text(WITHHELD_NOTICE), SMALL),
    ]
    section = None
    for item in export.items:
        if item.section != section:
            section = item.section
            story.append(Paragraph(_text(section), HEADING))
        rows = [
            [Paragraph(_text(e.label), SMALL), Paragraph(_text(display(e.value)), SMALL)]
            for e in item.entries
        ]
        table = Table(
            rows, colWidths=[LABEL_WIDTH, WIDTH - LABEL_WIDTH], hAlign="LEFT", splitInRow=1
        )
        table.setStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#444444")),
            ]
        )
        story += [Paragraph(_text(item.title), SUBHEADING), table]
    if not export.items:
        story.append(Paragraph("The centre holds no information about you.", BODY))
    return _build(story, title=title)


def arrangement_pdf(letter: Arrangement, *, title: str) -> bytes:
    """An adult's arrangement letter: their own sessions and times, what to do on arrival,
    the centre rules and how to cancel (families/arrangements.py holds every word)."""
    story = [
        Paragraph(f"<b>{_text(letter.centre_name)}</b><br/>{_lines(letter.centre_address)}", RIGHT),
        Spacer(1, 4 * mm),
        Paragraph(_text(dateformat.format(letter.written_on, "j F Y")), RIGHT),
        Spacer(1, 4 * mm),
        Paragraph(_text(letter.title), TITLE),
        Paragraph(_text(letter.greeting), BODY),
        Paragraph(_text(letter.introduction), BODY),
    ]
    for session in letter.sessions:
        story.append(
            KeepTogether(
                [Paragraph(_text(session.heading), SUBHEADING)]
                + [Paragraph(_text(line), BODY) for line in session.lines()]
            )
        )
    for heading, lines in (
        ("When you arrive", ON_ARRIVAL),
        ("The centre's rules", RULES),
        ("If you cannot come", letter.how_to_cancel),
    ):
        story.append(Paragraph(_text(heading), HEADING))
        story += [Paragraph(_text(f"\u2022 {line}"), BODY) for line in lines]
    return _build(story, title=title)
