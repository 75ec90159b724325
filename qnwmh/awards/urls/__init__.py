"""Awards pages under /office/awards/. Each part keeps its own URL list."""

app_name = "awards"

urlpatterns: list = []
