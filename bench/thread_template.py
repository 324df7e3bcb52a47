"""The thread drawn by one Django template loop, beside comments.rendering, on the bench's long threads.

Issue 10 asked to draw the discussion with a template loop unless that is too slow at 1,000 and 10,000
comments. This is that loop, writing the same markup as comments.rendering for a visitor and for a member (vote
buttons, the reply link), with `{% url %}` per link as a template would; the figures are the render times alone,
of rows already read and nested by comments.threads, so they compare the two ways of drawing and nothing else.
"""

from __future__ import annotations

import statistics
import time

RUNS = 5

LOOP = """{% for row in rows %}{% with c=row.comment %}{% if c.is_visible %}<article class="comment" id="c{{ c.pk }}" \
style="--depth:{{ row.depth }}"><p class="comment-meta"><a class="comment-author" \
href="{% url 'profile' c.author_name %}">{{ c.author_name }}</a> · <a href="{% url 'comments:detail' c.pk %}">\
<time datetime="{{ c.created_at|date:'c' }}">\
{{ c.created_at|date:'j M Y, H:i' }}</time></a>{% if c.edited_at %} · <span class="edited">edited</span>{% endif %}</p>\
<div class="prose">{{ c.body_html|safe }}</div><div class="comment-actions">{% if member %}<span class="votes">\
<button class="vote vote-up" form="discussion-vote" formaction="{% url 'comments:vote' c.pk %}" name="action" \
value="up" aria-pressed="false" aria-label="Vote up">▲</button> <span class="score">{{ c.score }} \
point{{ c.score|pluralize }}</span> <button class="vote vote-down" form="discussion-vote" \
formaction="{% url 'comments:vote' c.pk %}" name="action" value="down" aria-pressed="false" aria-label="Vote down">\
▼</button></span>{% else %}<span class="score">{{ c.score }} point{{ c.score|pluralize }}</span>{% endif %} \
<a href="{% url 'comments:reply' c.pk %}" data-action="reply">Reply</a></div></article>{% else %}<article \
class="comment comment-gone" id="c{{ c.pk }}" style="--depth:{{ row.depth }}"><p class="comment-meta">[deleted] · \
<a href="{% url 'comments:detail' c.pk %}">{{ c.created_at|date:'j M Y, H:i' }}</a></p></article>{% endif %}\
{% if row.hidden %}<p class="comment-continue"><a href="{% url 'comments:detail' c.pk %}">Continue this thread \
({{ row.hidden }} more)</a></p>{% endif %}{% endwith %}{% endfor %}"""


def _median_ms(draw) -> float:
    times = []
    for _ in range(RUNS):
        begin = time.perf_counter()
        draw()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def compare(ctx, papers: dict[int, object], member) -> None:
    """Figures: each long thread drawn both ways, for a visitor and for `member`."""
    from django.template import Context, Template

    from comments.rendering import Viewer, render_rows
    from comments.threads import build_thread, member_votes

    loop = Template(LOOP)
    for total, paper in papers.items():
        rows = build_thread(paper, sort="top").rows()
        for who, viewer in (
            ("visitor", Viewer()),
            ("member", Viewer(user_id=member.pk, csrf_token="x" * 64, votes=member_votes(member, paper))),
        ):
            python = _median_ms(lambda: render_rows(rows, viewer))  # noqa: B023 - measured here, at once
            template = _median_ms(lambda: loop.render(Context({"rows": rows, "member": who == "member"})))  # noqa: B023
            name = f"thread of {total:,} drawn, {who}"
            ctx.add("pages", name, "comments.rendering", python, "ms", note=f"median of {RUNS}")
            ctx.add("pages", name, "template loop", template, "ms", note="one {% for %}, {% url %} per link")
            ctx.add("pages", name, "template / rendering", template / python, "x")
        # The whole thread (no paging) read, sorted by best and drawn for the member: the sort's own cost included.
        best = _median_ms(lambda: render_rows(build_thread(paper, sort="best").rows(), viewer))  # noqa: B023
        ctx.add("pages", f"thread of {total:,} read and drawn, best, member", "comments.rendering", best, "ms")
