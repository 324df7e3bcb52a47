"""A paper's discussion counts its explainer videos' comments too; "most discussed" reads that count's index.

The column is added by ALTER TABLE ADD COLUMN on both databases: Django's AddField would rebuild the SQLite
table, and with it drop the full-text and search-word triggers of 0002 and 0005. videos/0003 fills it in.
"""

from django.db import migrations, models

ADD = "ALTER TABLE papers_paper ADD COLUMN discussion_count integer NOT NULL DEFAULT 0 CHECK (discussion_count >= 0)"


def add_column(apps, schema_editor) -> None:
    schema_editor.execute(ADD)


def drop_column(apps, schema_editor) -> None:
    schema_editor.execute("ALTER TABLE papers_paper DROP COLUMN discussion_count")


class Migration(migrations.Migration):
    dependencies = [("papers", "0005_search_words")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="paper",
                    name="discussion_count",
                    field=models.PositiveIntegerField(
                        default=0,
                        editable=False,
                        help_text="Visible comments on the paper and on the videos that explain it.",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AlterField(
            model_name="paper",
            name="comment_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="Visible comments on the paper's own page."
            ),
        ),
        migrations.RemoveIndex(model_name="paper", name="paper_discussed_idx"),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(fields=["-discussion_count", "-published", "-arxiv_id"], name="paper_discussed_idx"),
        ),
    ]
