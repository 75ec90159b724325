"""The back-office layout's kept parts: the menu rendered once per grants and entry, and the
header's text and links kept per language, give the page each actor should see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from qnwmh.core.actor import Actor
from qnwmh.core.context import _stand_in
from qnwmh.core.nav import all_items
from qnwmh.core.permissions import can

pytestmark = pytest.mark.django_db

ROLES = ("city_admin", "body_admin", "manager", "reviewer")


class Untouchable:
    """A user no menu rule may read: the menu is kept under the actor's grants alone."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a menu rule read the user's {name!r}")


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_rule_reads_the_grants_alone(
    world: Any, role: str, django_assert_num_queries: Any
) -> None:
    """A rule reading the user, or the database, would make the menu kept per grants wrong."""
    real = world.actor(role)
    blind = Actor(
        user=Untouchable(),
        roles=real.roles,
        body_ids=real.body_ids,
        collective_ids=real.collective_ids,
    )
    stand_in = _stand_in(real.roles, real.body_ids, real.collective_ids)
    items = all_items()
    with django_assert_num_queries(0):
        for item in items:
            decided = can(real, item.permission)
            assert can(blind, item.permission) == decided, item.url_name
            assert can(stand_in, item.permission) == decided, item.url_name


def _menu_links(html: str) -> list[str]:
    menu = html.split('class="container main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', menu)


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_lists_what_the_actor_may_reach(world: Any, role: str) -> None:
    actor = world.actor(role)
    wanted = [reverse(i.url_name) for i in all_items() if can(actor, i.permission)]
    html = world.client(role).get(reverse("accounts:password_change")).content.decode()
    assert _menu_links(html) == wanted


def test_only_the_current_entry_is_marked(world: Any) -> None:
    client = world.client("city_admin")
    actor = world.actor("city_admin")
    entry = next(reverse(i.url_name) for i in all_items() if can(actor, i.permission))
    html = client.get(entry).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'<a href="{entry}" aria-current="page">' in html
    assert html.count('class="nav-current"') == 1
    # A page outside the menu marks nothing; the kept rendering for it is not the one above.
    other = client.get(reverse("accounts:password_change")).content.decode()
    assert 'aria-current="page"' not in other and "nav-current" not in other


def test_signed_out_pages_have_no_menu(client: Any) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert "main-nav" not in html


def test_header_follows_the_language(world: Any) -> None:
    client = world.client("city_admin")
    url = reverse("accounts:password_change")
    chinese = client.get(url).content.decode()
    assert "退出登录" in chinese and 'lang="en">English</button>' in chinese
    client.cookies.load({"django_language": "en"})
    english = client.get(url).content.decode()
    assert 'lang="zh-Hans">中文</button>' in english
    assert "退出登录" not in english and "主菜单" not in english
    assert f'name="next" value="{url}"' in english
    # Both forms in the header carry the request's token.
    token = re.search(r'"X-CSRFToken": "([^"]+)"', english)
    assert token is not None
    assert english.count(f'name="csrfmiddlewaretoken" value="{token.group(1)}"') >= 2
