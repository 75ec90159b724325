"""Awards pages under /office/awards/. Each part keeps its own URL list."""

from qnwmh.awards.urls.decision import urlpatterns as decision
from qnwmh.awards.urls.nomination import urlpatterns as nomination
from qnwmh.awards.urls.notice import urlpatterns as notice
from qnwmh.awards.urls.ranking import urlpatterns as ranking

app_name = "awards"

urlpatterns = [*ranking, *notice, *decision, *nomination]
