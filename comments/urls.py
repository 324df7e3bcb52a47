"""Reading-note pages."""

from __future__ import annotations

from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("notes/", views.note_list, name="notes"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
]
