from django.conf import settings


def test_it_runs_in_test_mode():
    assert settings.MODE == "test"
