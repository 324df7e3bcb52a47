"""Author pages, mounted at /authors/."""

from __future__ import annotations

from django.urls import path

from papers import views

app_name = "authors"

urlpatterns = [
    path("<int:pk>/", views.author_detail, name="detail"),
]
