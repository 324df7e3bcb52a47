"""Every version of a paper (number, submission time, size, the format that gave it) and the paper's license.

The license column is added by ALTER TABLE ADD COLUMN on both databases, as 0006 adds its column: Django's
AddField would rebuild the SQLite table, and with it drop the full-text and search-word triggers of 0002, 0005
and 0007. Papers imported before this migration get their versions and license on their next import (their
record then differs from what is stored).
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

ADD = "ALTER TABLE papers_paper ADD COLUMN license varchar(200) NOT NULL DEFAULT ''"


def add_column(apps, schema_editor) -> None:
    schema_editor.execute(ADD)


def drop_column(apps, schema_editor) -> None:
    schema_editor.execute("ALTER TABLE papers_paper DROP COLUMN license")


class Migration(migrations.Migration):
    dependencies = [("papers", "0007_title_and_author_vectors")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="paper",
                    name="license",
                    field=models.CharField(
                        blank=True,
                        help_text="The license's URL as arXiv gives it; empty when arXiv names none.",
                        max_length=200,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.CreateModel(
            name="PaperVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField()),
                ("submitted", models.DateTimeField(help_text="When this version was submitted to arXiv.")),
                (
                    "size",
                    models.CharField(
                        blank=True, help_text="As arXiv gives it (e.g. 424kb); empty if not given.", max_length=20
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("snapshot", "bulk snapshot"),
                            ("arxivraw", "OAI-PMH arXivRaw"),
                            ("atom", "export API (Atom)"),
                        ],
                        help_text="The format that gave this version.",
                        max_length=10,
                    ),
                ),
                (
                    "paper",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="papers.paper",
                    ),
                ),
            ],
            options={
                "ordering": ["paper", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("paper", "number"), name="paper_version_once"),
                    models.CheckConstraint(condition=models.Q(number__gte=1), name="paper_version_number_positive"),
                ],
            },
        ),
    ]
