"""Public awards pages (the notices and their objections, certificates), mounted at the site
root before the public site's own URLs."""

app_name = "awards_public"

urlpatterns: list = []
