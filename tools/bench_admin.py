"""An admin site for the benchmark only, as the yardstick the family pages are measured
against (`manage.py bench`). The project's real admin never registers Family: operators must
never see family records. This site is mounted only by tools/bench_urls.py, which only the
benchmark uses."""

from django.contrib import admin
from django_otp.admin import OTPAdminSite

from families.models import Family

bench_site = OTPAdminSite(name="bench_admin")


@admin.register(Family, site=bench_site)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["reference", "centre", "status", "last_activity"]
    list_filter = ["centre", "status"]  # the yardstick is one centre's families
    list_per_page = 25  # as the coordinator's family list
    # A page of fixed size: without this the filtered changelist also counts every family of
    # the installation ("25 results (350,000 total)"), a statement that grows with the
    # network, so the yardstick slowed as the network grew and flattered the pages held to it.
    show_full_result_count = False
