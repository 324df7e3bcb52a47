"""Discussion and reading-note pages.

Every form works as a plain POST that redirects back to the comment (or note). The discussion script sends the same
requests with the header `X-Requested-With: fetch` and gets back just the piece of page to swap in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comments import services
from comments.forms import (
    CommentForm,
    CorrectionFixedForm,
    ErratumConfirmForm,
    FlagForm,
    NewCommentForm,
    NoteForm,
    NoteSearchForm,
    ReasonForm,
    ReplyForm,
    ReviewForm,
)
from comments.models import MAX_NOTE_LENGTH, Comment, Moderation, Note, may_moderate
from comments.rendering import Viewer, draw_thread, render_rows
from comments.revisions import edit_history
from comments.threads import MAX_DEPTH, Row, ThreadComment, member_votes, paper_author_members
from papers import arxiv
from papers.models import Paper
from shared.markdown import render_markdown
from shared.paging import window
from shared.throttles import PreviewThrottle
from videos.models import Correction, Video

NOTES_PAGE_SIZE = 25


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _creator_id(target: Paper | Video) -> int | None:
    return target.channel.owner_id if isinstance(target, Video) else None


def _location(comment: Comment) -> str:
    """Where a comment is read after a write: on its paper or video page, or on its sub-thread's page when it sits
    deeper than the page indents."""
    if comment.depth <= MAX_DEPTH:
        return comment.get_absolute_url()
    return f"{comment.get_permalink()}#c{comment.pk}"


COUNT_HEADER = "X-Discussion-Count"


def _comment_html(request: HttpRequest, comment: Comment) -> HttpResponse:
    """The comment's HTML for the script to swap in, with the discussion's count of visible comments after the write
    (the target's own counter, which the services keep) in a header, so that the heading's count follows."""
    votes = dict(comment.votes.filter(user__pk=request.user.pk).values_list("comment_id", "value"))
    target = comment.target
    viewer = Viewer.for_request(request, votes=votes, target=target, creator_id=_creator_id(target))
    if isinstance(target, Paper):
        viewer.paper_authors = paper_author_members(target.pk)
    response = HttpResponse(render_rows([Row(ThreadComment.from_comment(comment), depth=0)], viewer, vote_form=False))
    count = type(target).objects.filter(pk=target.pk).values_list("comment_count", flat=True).first()
    response[COUNT_HEADER] = str(count or 0)
    return response


def _previewing(request: HttpRequest) -> bool:
    """The form's "Preview" button (name="preview") was pressed: show the text rendered, write nothing."""
    return request.method == "POST" and "preview" in request.POST


def _preview_html(request: HttpRequest, form) -> str:
    """The body rendered by shared.markdown, for the page's preview above the form (sanitised: marked safe there)."""
    if not _previewing(request) or not form.is_valid():
        return ""
    return render_markdown(form.cleaned_data.get("body") or "")


def _form_response(request: HttpRequest, form: CommentForm, *, action: str, title: str, comment=None, target=None):
    """The form again, with what is wrong and what the member typed: a fragment for the script, or a page (with the
    text rendered above it when the member asked for a preview)."""
    preview = _preview_html(request, form)
    context = {"form": form, "action": action, "title": title, "comment": comment, "target": target}
    context["preview_html"] = preview
    status = 400 if form.is_bound and not (_previewing(request) and form.is_valid()) else 200
    template = "comments/_comment_form.html" if _wants_fragment(request) else "comments/comment_form.html"
    return render(request, template, context, status=status)


def _apply_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form, next to the field it names when the form has one."""
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field_name, messages in pairs:
        for message in messages:
            form.add_error(field_name if field_name in form.fields else None, message)


def _target(kind: str, pk: int) -> Paper | Video:
    model = {"paper": Paper, "video": Video}.get(kind)
    if model is None:
        raise Http404("Comments go on papers and videos.")
    queryset = Video.objects.select_related("channel") if model is Video else Paper.objects.all()
    return get_object_or_404(queryset, pk=pk)


@require_POST
@login_required
def comment_new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = _target(kind, pk)
    form = NewCommentForm(request.POST, on_video=isinstance(target, Video))
    if form.is_valid() and not _previewing(request):
        data = form.cleaned_data
        try:
            comment = services.comment_post(
                author=request.user, target=target, body=data["body"], kind=data["kind"], at=data.get("at")
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _comment_html(request, comment) if _wants_fragment(request) else redirect(_location(comment))
    action = reverse("comments:new", args=[kind, pk])
    return _form_response(request, form, action=action, title=f"Comment on {target}", target=target)


@require_GET
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's permalink: it and every reply below it, indented afresh from here."""
    comment = get_object_or_404(Comment.objects.select_related("paper", "video__channel"), pk=pk)
    if not comment.is_shown_to(request.user):
        raise Http404("No such comment.")  # awaiting approval: its author's and curators' alone
    target = comment.target
    viewer = Viewer.for_request(
        request, votes=member_votes(request.user, target), target=target, creator_id=_creator_id(target)
    )
    thread_html = draw_thread(target, viewer, sort=request.GET.get("sort", "oldest"), root_pk=comment.pk).html
    context = {"comment": comment, "target": target, "thread_html": thread_html}
    return render(request, "comments/comment_detail.html", context)


def _comment_for_write(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author", "paper", "video__channel"), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _comment_for_write(pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _previewing(request):
        data = form.cleaned_data
        try:
            reply = services.comment_post(
                author=request.user, target=parent.target, body=data["body"], parent=parent, kind=data["kind"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _comment_html(request, reply) if _wants_fragment(request) else redirect(_location(reply))
    action = reverse("comments:reply", args=[pk])
    return _form_response(request, form, action=action, title="Reply", comment=parent, target=parent.target)


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for_write(pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author may edit a comment.")
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid() and not _previewing(request):
        try:
            services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _comment_html(request, comment) if _wants_fragment(request) else redirect(_location(comment))
    action = reverse("comments:edit", args=[pk])
    return _form_response(request, form, action=action, title="Edit comment", comment=comment, target=comment.target)


@require_http_methods(["GET", "POST"])
@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for_write(pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author may delete a comment.")
    if request.method == "POST":
        services.comment_delete(comment=comment, actor=request.user)
        return _comment_html(request, comment) if _wants_fragment(request) else redirect(_location(comment))
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment, "target": comment.target})


@require_POST
@login_required
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """`body` rendered exactly as it would be saved (shared.markdown), for the compose boxes' live preview.

    Members only, CSRF-checked as every POST, and throttled per member (PREVIEW_THROTTLE): the script asks at most
    once per pause in typing. The longest body anyone may save (a note's) is the most it renders."""
    throttle = PreviewThrottle()
    if not throttle.allow_request(request, None):
        response = HttpResponse("Preview paused: too many in a short time.", status=429, content_type="text/plain")
        wait = throttle.wait()
        response["Retry-After"] = str(max(1, int(wait or 1)))
        return response
    body = request.POST.get("body", "").replace("\r\n", "\n")
    if len(body) > MAX_NOTE_LENGTH:
        message = f"Too long to preview: at most {MAX_NOTE_LENGTH:,} characters."
        return HttpResponse(message, status=400, content_type="text/plain")
    return HttpResponse(render_markdown(body), content_type="text/html; charset=utf-8")


@require_POST
@login_required
def comment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The asker accepts this reply as the answer to their question (action=accept), or takes it back
    (action=unaccept); anyone else is refused."""
    answer = get_object_or_404(Comment.objects.select_related("parent", "paper", "video"), pk=pk)
    action = request.POST.get("action", "accept")
    if action not in ("accept", "unaccept"):
        return HttpResponse("The action is accept or unaccept.", status=400, content_type="text/plain")
    try:
        services.answer_accept(answer=answer, actor=request.user, accepted=action == "accept")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    return redirect(_location(answer))


@require_GET
def comment_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's earlier texts: who edited it, when, and what each edit changed. A deleted or removed comment's
    history is for its author and curators alone (a 404 for anyone else, as if it had none)."""
    comment = get_object_or_404(Comment.objects.select_related("author", "paper", "video"), pk=pk)
    if not comment.revisions_readable_by(request.user):
        raise Http404("No such comment history.")
    revisions = list(comment.revisions.select_related("edited_by"))
    first = revisions[0].body if revisions else comment.body
    context = {
        "comment": comment,
        "target": comment.target,
        "first": first,
        "edits": edit_history(comment, revisions),
    }
    return render(request, "comments/comment_revisions.html", context)


VOTE_ACTIONS = {"up": 1, "down": -1, "withdraw": 0}


@require_POST
@login_required
def comment_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote a comment up (action=up) or down (action=down), or take the vote back (action=withdraw)."""
    comment = _comment_for_write(pk)
    value = VOTE_ACTIONS.get(request.POST.get("action", "up"))
    try:
        if value is None:
            raise ValidationError({"action": "A vote is up, down or withdraw."})
        if value:
            services.vote_cast(user=request.user, comment=comment, value=value)
        else:
            services.vote_withdraw(user=request.user, comment=comment)
    except ValidationError as exc:
        if _wants_fragment(request):
            return JsonResponse({"errors": exc.messages}, status=400)
        return render(request, "comments/vote_refused.html", {"comment": comment, "errors": exc.messages}, status=400)
    if _wants_fragment(request):
        comment.refresh_from_db(fields=["score"])
        return JsonResponse({"score": comment.score, "voted": bool(value), "vote": value})
    return redirect(_location(comment))


@require_http_methods(["GET", "POST"])
@login_required
def comment_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A curator removes (action=remove) or restores a comment from its page, giving a reason for the log."""
    if not may_moderate(request.user):
        raise PermissionDenied("Only curators may moderate comments.")
    comment = _comment_for_write(pk)
    service = {"remove": services.comment_remove, "restore": services.comment_restore}[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(comment=comment, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(_location(comment))
    context = {"form": form, "comment": comment, "target": comment.target, "action": action}
    return render(request, "comments/comment_moderate.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """A member flags another's comment for the curators' queue, with a reason."""
    comment = _comment_for_write(pk)
    if not comment.is_shown_to(request.user):
        raise Http404("No such comment.")
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_flag(comment=comment, flagger=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(_location(comment))
    context = {"form": form, "comment": comment, "target": comment.target}
    return render(request, "comments/comment_flag.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def comment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A curator's decision on a flagged or held comment: approve it, or remove it as spam or by rule."""
    if not may_moderate(request.user):
        raise PermissionDenied("Only curators may moderate comments.")
    comment = _comment_for_write(pk)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_review(comment=comment, moderator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(_location(comment))
    flags = comment.flags.filter(status="pending").select_related("flagger")
    context = {"form": form, "comment": comment, "target": comment.target, "flags": flags}
    return render(request, "comments/comment_review.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def erratum_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A curator confirms a member's erratum report as the video's erratum, with its text or their edit of it."""
    if not may_moderate(request.user):
        raise PermissionDenied("Only curators confirm errata.")
    report = _comment_for_write(pk)
    existing = Correction.objects.filter(report=report).first()
    if existing is not None:
        return redirect(existing.get_absolute_url())
    form = ErratumConfirmForm(request.POST or None, initial={"body": report.body})
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.erratum_confirm(report=report, curator=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(correction.get_absolute_url())
    context = {"form": form, "comment": report, "target": report.target}
    return render(request, "comments/erratum_confirm.html", context, status=400 if form.is_bound else 200)


@require_POST
@login_required
def correction_fixed(request: HttpRequest, pk: int) -> HttpResponse:
    """A curator marks a video's correction fixed, saying where (the form under each correction on the video page)."""
    if not may_moderate(request.user):
        raise PermissionDenied("Only curators mark corrections fixed.")
    correction = get_object_or_404(Correction.objects.select_related("video"), pk=pk)
    form = CorrectionFixedForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    services.correction_mark_fixed(correction=correction, curator=request.user, **form.cleaned_data)
    return redirect(correction.get_absolute_url())


MODERATION_PAGE_SIZE = 50


@require_GET
def moderation_log(request: HttpRequest) -> HttpResponse:
    """Every removal and restore, newest first: who, when, which comment and why, for anyone to read."""
    entries = Moderation.objects.select_related("moderator", "comment__paper", "comment__video")
    page = window(entries, request, MODERATION_PAGE_SIZE)
    return render(request, "comments/moderation_log.html", {"page": page})


# Reading notes ------------------------------------------------------------------------------------------------


@require_GET
@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    search = NoteSearchForm(request.GET or None)
    notes = Note.objects.filter(owner=request.user).select_related("paper", "video")
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if query:
        notes = notes.filter(Q(title__icontains=query) | Q(body__icontains=query) | Q(source_title__icontains=query))
    page = window(notes, request, NOTES_PAGE_SIZE)
    matching = notes.count() if query else None  # a member's own notes: few, and the count answers the search
    context = {"page": page, "search": search, "query": query, "matching": matching}
    return render(request, "comments/note_list.html", context)


PUBLIC_NOTES_PAGE_SIZE = 25


def _public_notes_subject(request: HttpRequest) -> tuple[Q, Paper | Video | None]:
    """`?paper=<arXiv id>` or `?video=<slug>`: the public notes on one thing (a paper's or video's page links here
    when it has more than it shows). An unknown one is a 404; anything else lists every public note."""
    paper, video = request.GET.get("paper", "").strip(), request.GET.get("video", "").strip()
    if paper:
        try:
            found = Paper.objects.named(paper).first()
        except arxiv.InvalidArxivId:
            found = None
        if found is None:
            raise Http404("No such paper in the hub.")
        return Q(paper=found), found
    if video:
        subject = get_object_or_404(Video, slug=video)
        return Q(video=subject), subject
    return Q(), None


@require_GET
def public_notes(request: HttpRequest) -> HttpResponse:
    """The newest public notes of every member (or of one paper's or video's), paged without counting."""
    condition, subject = _public_notes_subject(request)
    notes = Note.objects.listed().filter(condition).select_related("owner", "paper", "video")
    page = window(notes, request, PUBLIC_NOTES_PAGE_SIZE)
    return render(request, "comments/public_notes.html", {"page": page, "subject": subject})


@require_GET
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's private note is a 404, so that its existence does not leak.
    note = get_object_or_404(Note.objects.visible_to(request.user).select_related("owner", "paper", "video"), pk=pk)
    return render(request, "comments/note_detail.html", {"note": note})


def _own_note(request: HttpRequest, pk: int) -> Note:
    note = get_object_or_404(Note.objects.visible_to(request.user).select_related("paper", "video"), pk=pk)
    if note.owner_id != request.user.pk:
        raise PermissionDenied("Only the owner may change a note.")
    return note


def _save_note(request: HttpRequest, form: NoteForm, note: Note | None) -> Note | None:
    data = {name: form.cleaned_data[name] for name in ("title", "body", "paper", "video", "source_url", "visibility")}
    data["source_title"] = form.cleaned_data["source_title"]
    try:
        if note is None:
            return services.note_create(owner=request.user, **data)
        return services.note_edit(note=note, editor=request.user, **data)
    except ValidationError as exc:
        _apply_errors(form, exc)
        return None


def _note_form_response(request: HttpRequest, form: NoteForm, note: Note | None) -> HttpResponse:
    preview = _preview_html(request, form)
    status = 400 if form.is_bound and not (_previewing(request) and form.is_valid()) else 200
    context = {"form": form, "note": note, "preview_html": preview}
    return render(request, "comments/note_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def note_new(request: HttpRequest) -> HttpResponse:
    initial = {key: request.GET[key] for key in ("paper", "video", "source_url", "source_title") if key in request.GET}
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and not _previewing(request):
        note = _save_note(request, form, None)
        if note is not None:
            return redirect(note)
    return _note_form_response(request, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    form = NoteForm(request.POST or None, initial=NoteForm.initial_for(note))
    if request.method == "POST" and form.is_valid() and not _previewing(request):
        saved = _save_note(request, form, note)
        if saved is not None:
            return redirect(saved)
    return _note_form_response(request, form, note)


@require_http_methods(["GET", "POST"])
@login_required
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    if request.method == "POST":
        services.note_delete(note=note, actor=request.user)
        return redirect("comments:notes")
    return render(request, "comments/note_confirm_delete.html", {"note": note})


@require_POST
@login_required
def note_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a note public (public=1) or private again (public=0)."""
    note = _own_note(request, pk)
    services.note_publish(note=note, actor=request.user, public=request.POST.get("public", "1") == "1")
    return redirect(note)
