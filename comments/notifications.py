"""Who is told of a new comment, the inbox that lists it, and the e-mail some members ask for.

Called by comments.services inside the comment's own transaction, so a comment and its notifications are written
together or not at all; e-mail leaves only once that transaction commits (`transaction.on_commit`).

Precedence, the one rule: **a mute wins**. A member who muted the paper or video, or any thread the comment sits
in (the comment it replies to, or any above that), hears nothing of it: not a mention, not a reply, not a watch.
Otherwise a member is told once per comment, for the strongest reason: a mention, then a reply to their comment,
then a thread they watch, then (for a top-level comment) the paper or video they watch. Nobody is told of their
own comment, and only active members are told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from comments.models import Comment, Notification, NotificationSettings, Watch, visible_q

log = logging.getLogger(__name__)
Reason = Notification.Reason

# The order of the reasons, strongest first: a member told for two reasons is told for the first.
_STRENGTH = {Reason.MENTION: 0, Reason.REPLY: 1, Reason.THREAD: 2, Reason.WATCH: 3}


def thread_of(comment_id: int) -> list[int]:
    """The ids of `comment_id` and every comment above it, in one query (a recursive CTE, on both databases)."""
    table = Comment._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id = %s "
        f"UNION ALL SELECT c.id, c.parent_id FROM {table} c JOIN up ON c.id = up.parent_id) SELECT id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [comment_id])
        return [row[0] for row in cursor.fetchall()]


def _subject_q(comment: Comment, threads: list[int]) -> Q:
    target = Q(paper_id=comment.paper_id) if comment.paper_id else Q(video_id=comment.video_id)
    return target | Q(comment_id__in=threads) if threads else target


def recipients(comment: Comment, *, mentioned: list[int], parent_author_id: int | None) -> dict[int, str]:
    """{member id: reason} for a new comment: the rule of the module's docstring. Two queries for a reply (its
    threads, then the watches), one for a top-level comment."""
    threads = thread_of(comment.parent_id) if comment.parent_id else []
    reasons: dict[int, str] = {}

    def tell(user_id: int | None, reason: str) -> None:
        if user_id is not None and (user_id not in reasons or _STRENGTH[reason] < _STRENGTH[reasons[user_id]]):
            reasons[user_id] = reason

    for user_id in mentioned:
        tell(user_id, Reason.MENTION)
    tell(parent_author_id, Reason.REPLY)
    muted: set[int] = set()
    for user_id, state, on_thread in Watch.objects.filter(_subject_q(comment, threads)).values_list(
        "user_id", "state", "comment_id"
    ):
        if state == Watch.State.MUTE:
            muted.add(user_id)
        elif on_thread is not None:
            tell(user_id, Reason.THREAD)
        elif comment.parent_id is None:
            tell(user_id, Reason.WATCH)
    return {user_id: reason for user_id, reason in reasons.items() if user_id not in muted | {comment.author_id}}


def notify_new_comment(comment: Comment) -> list[Notification]:
    """Tell the members a new comment concerns (in the caller's transaction): see `recipients`."""
    parent_author_id = comment.parent.author_id if comment.parent_id else None
    mentioned = [member.pk for member in comment.mentioned]
    return _notify(comment, recipients(comment, mentioned=mentioned, parent_author_id=parent_author_id))


def notify_mentions(comment: Comment, *, before: set[int]) -> list[Notification]:
    """After an edit: tell the members the new text names, unless they are in `before` (already told of this
    comment, for any reason). Mutes still win."""
    added = [member.pk for member in comment.mentioned if member.pk not in before]
    if not added:
        return []
    return _notify(comment, recipients(comment, mentioned=added, parent_author_id=None), only=set(added))


def _notify(comment: Comment, reasons: dict[int, str], only: set[int] | None = None) -> list[Notification]:
    if only is not None:
        reasons = {user_id: reason for user_id, reason in reasons.items() if user_id in only}
    if not reasons:
        return []
    members = get_user_model().objects.filter(pk__in=reasons, is_active=True)
    rows = list(members.values_list("pk", "email", "notification_settings__email"))
    notifications = [Notification(recipient_id=pk, comment=comment, reason=reasons[pk]) for pk, _, _ in rows]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    mail = [(email, reasons[pk]) for pk, email, wants in rows if wants and email]
    if mail:
        transaction.on_commit(lambda: _send_mail(comment.pk, mail))
    return notifications


def _send_mail(comment_id: int, mail: list[tuple[str, str]]) -> None:
    """One e-mail per opted-in member, after the comment's transaction committed. It names who wrote and where,
    and links to the comment; it holds none of the comment's text, which may yet be deleted or removed."""
    comment = Comment.objects.select_related("author", "paper", "video").filter(visible_q(), pk=comment_id).first()
    if comment is None:
        return  # gone before the mail left: nothing to tell
    who = comment.author.get_username() if comment.author else "A former member"
    link = settings.SITE_URL.rstrip("/") + comment.get_permalink()
    for address, reason in mail:
        subject = f"{who} {Reason(reason).label} on “{comment.target.title}”"
        body = f"{subject}.\n\nRead it: {link}\n\nYou get these e-mails because you turned them on in your settings."
        try:
            send_mail(subject[:200], body, None, [address])
        except Exception:  # noqa: BLE001 - a mail server's trouble must not fail the page that posted
            log.exception("Could not send a notification e-mail about comment %s", comment_id)


# --- Reading --------------------------------------------------------------------------------------------------------


def inbox(user) -> QuerySet[Notification]:
    """A member's notifications of visible comments, unread first, then newest: the inbox page and the API.
    A deleted or removed comment's notification is in no list and no count (and comes back if it is restored)."""
    return (
        Notification.objects.filter(recipient=user)
        .filter(visible_q("comment__"))
        .select_related("comment__author", "comment__paper", "comment__video")
        .order_by(ExpressionWrapper(Q(read_at__isnull=False), BooleanField()), "-created_at", "-pk")
    )


def unread_count(user) -> int:
    """The header's badge and the API's count: one query."""
    return Notification.objects.filter(visible_q("comment__"), recipient=user, read_at=None).count()


def watch_state(user, *, paper=None, video=None, comment=None) -> str | None:
    """ "watch", "mute" or None: the member's choice about one subject (one query)."""
    subject = {"paper": paper} if paper is not None else {"video": video} if video is not None else {"comment": comment}
    return Watch.objects.filter(user=user, **subject).values_list("state", flat=True).first()


@dataclass
class _Badge:
    """The header's unread count, read when the template first asks for it (never for a page without a header)."""

    user: object
    _count: int | None = None

    @property
    def unread(self) -> int:
        if self._count is None:
            self._count = unread_count(self.user)
        return self._count


def inbox_badge(request: HttpRequest) -> dict:
    """Context processor: `inbox.unread` for members (one query, only when a page draws it); nothing for
    visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": _Badge(user), "inbox_url": reverse("comments:inbox")}


def email_wanted(user) -> bool:
    """Whether the member turned notification e-mails on (one query)."""
    return NotificationSettings.objects.filter(user=user, email=True).exists()
