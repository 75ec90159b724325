"""Pages of the standard part: the quantified standard and exits."""

from django.urls import URLPattern, path

from qnwmh.oversight.views import exits
from qnwmh.oversight.views import standard as views

S = "standards/<str:code>/"
ITEM = S + "items/<id:item>/"

urlpatterns: list[URLPattern] = [
    path("standards/", views.standards_view, name="standards"),
    path("standards/new/", views.standard_create_view, name="standard_create"),
    path(S, views.standard_view, name="standard"),
    path(S + "edit/", views.standard_edit_view, name="standard_edit"),
    path(S + "export/", views.standard_export_view, name="standard_export"),
    path(S + "copy/", views.standard_copy_view, name="standard_copy"),
    path(S + "items/new/", views.item_add_view, name="standard_item_add"),
    path(ITEM, views.item_edit_view, name="standard_item"),
    path(ITEM + "move/", views.item_move_view, name="standard_item_move"),
    path(ITEM + "remove/", views.item_remove_view, name="standard_item_remove"),
    path("exits/", exits.exits_view, name="exits"),
    path("exits/new/", exits.exit_record_view, name="exit_record"),
    path("exits/export/", exits.exits_export_view, name="exits_export"),
    path("exits/<str:code>/", exits.exit_view, name="exit"),
    path("exits/<str:code>/plaque/", exits.plaque_view, name="exit_plaque"),
]
