"""The coordinator's import of families from a spreadsheet (issue 19): the page and the
template CSV. The shared upload, preview and confirm are cccc/csv_import_views.py; the
columns and the checks families/family_import.py."""

from cccc.csv_import_views import ImportKind, import_view, template_view
from families import family_import

FAMILIES = ImportKind(
    name="families",
    title="Import families from a spreadsheet",
    template_name="families/family_import.html",
    template_columns=family_import.template_columns(),
    known=family_import.known_columns(),
    required=family_import.required_columns,
    column_help=family_import.column_help,
    preview_headings=["Referral", "Adults", "Children"],
    check=family_import.check_rows,
    save=family_import.save_rows,
    done_url="referral_list",
    template_url="family_import_template",
)

family_import_page = import_view(FAMILIES)
family_import_template = template_view(FAMILIES, "families-template.csv")
