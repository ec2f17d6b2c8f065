"""The coordinator's import of volunteers from a spreadsheet (issue 19): the page and the
template CSV. The shared upload, preview and confirm are cccc/csv_import_views.py; the
columns and the checks volunteers/volunteer_import.py."""

from cccc.csv_import_views import ImportKind, import_view, template_view
from volunteers import volunteer_import

VOLUNTEERS = ImportKind(
    name="volunteers",
    title="Import volunteers from a spreadsheet",
    template_name="volunteers/volunteer_import.html",
    template_columns=volunteer_import.known_columns(),
    known=volunteer_import.known_columns(),
    required=volunteer_import.required_columns,
    column_help=volunteer_import.column_help,
    preview_headings=["Name", "Contact details", "Applied on", "DBS check"],
    check=volunteer_import.check_rows,
    save=volunteer_import.save_rows,
    done_url="volunteer_list",
    template_url="volunteer_import_template",
)

volunteer_import_page = import_view(VOLUNTEERS)
volunteer_import_template = template_view(VOLUNTEERS, "volunteers-template.csv")
