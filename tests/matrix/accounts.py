from tests.matrix import LOGIN, Row, expect

ROWS = [
    Row("accounts:login", expect(302, anonymous=200), permission=None),  # signed-in people go home
    Row("accounts:logout", expect(302), method="post", permission=None),
    Row("accounts:password_change", expect(200, anonymous=LOGIN), permission=None),
    Row(
        "accounts:login_log",
        expect(403, anonymous=LOGIN, city_admin=200),
        permission="accounts.view_login_log",
    ),
    Row(
        "accounts:user_list",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        permission="accounts.manage_users",
    ),
    Row(
        "accounts:user_create",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        permission="accounts.manage_users",
    ),
    # The manager's account belongs to the body: the outsider body cannot see it.
    Row(
        "accounts:user_detail",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=lambda w: {"username": w.users["manager"].username},
        permission="accounts.manage_users",
    ),
    # Deactivating an account: city admins only (the body admin is refused, not 404).
    Row(
        "accounts:user_toggle_active",
        expect(403, anonymous=LOGIN, city_admin=302, outsider=404),
        kwargs=lambda w: {"username": w.users["manager"].username},
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission="accounts.set_active",
    ),
    # Unlock and password reset: city admins for anyone, body admins for their own users.
    Row(
        "accounts:user_unlock",
        expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404),
        kwargs=lambda w: {"username": w.users["manager"].username},
        method="post",
        permission="accounts.manage_account",
    ),
    Row(
        "accounts:user_password_reset",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404),
        kwargs=lambda w: {"username": w.users["manager"].username},
        method="post",
        permission="accounts.manage_account",
    ),
    Row(
        "accounts:role_revoke",
        expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404),
        kwargs=lambda w: {
            "username": w.users["manager"].username,
            "assignment_id": w.users["manager"].assignments.get().pk,
        },
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission="accounts.revoke_role",
    ),
]
