"""Discussion and reading-note pages."""

from __future__ import annotations

from django.urls import path

from comments import notification_views, views

app_name = "comments"

urlpatterns = [
    path("comments/<str:kind>/<int:pk>/new/", views.comment_new, name="new"),
    path("comments/preview/", views.markdown_preview, name="preview"),
    path("comments/<int:pk>/", views.comment_detail, name="detail"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("comments/<int:pk>/vote/", views.comment_vote, name="vote"),
    path("comments/<int:pk>/accept/", views.comment_accept, name="accept"),
    path("comments/<int:pk>/revisions/", views.comment_revisions, name="revisions"),
    path("comments/<int:pk>/remove/", views.comment_moderate, {"action": "remove"}, name="remove"),
    path("comments/<int:pk>/restore/", views.comment_moderate, {"action": "restore"}, name="restore"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="flag"),
    path("comments/<int:pk>/review/", views.comment_review, name="review"),
    path("comments/<int:pk>/confirm-erratum/", views.erratum_confirm, name="confirm_erratum"),
    path("corrections/<int:pk>/fixed/", views.correction_fixed, name="correction_fixed"),
    path("moderation/", views.moderation_log, name="moderation_log"),
    path("notes/", views.note_list, name="notes"),
    path("notes/new/", views.note_new, name="note_new"),
    path("notes/public/", views.public_notes, name="public_notes"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("notes/<int:pk>/publish/", views.note_publish, name="note_publish"),
    path("notifications/", notification_views.inbox, name="inbox"),
    path("notifications/read/", notification_views.inbox_read, name="inbox_read_all"),
    path("notifications/<int:pk>/read/", notification_views.inbox_read, name="inbox_read"),
    path("notifications/settings/", notification_views.notification_settings, name="notification_settings"),
    path("watch/<str:kind>/<int:pk>/", notification_views.watch, name="watch"),
]
