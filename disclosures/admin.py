# Nothing from this app is registered in the Django admin: operators must never see family
# data, and disclosure records are read and written only through the coordinator's pages.
