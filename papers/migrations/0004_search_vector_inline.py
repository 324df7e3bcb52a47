"""PostgreSQL: keep each paper's search vector in its own row rather than in the TOAST table.

A vector of a whole abstract is about 2 kB, and PostgreSQL moves values out of a row over 2 kB into a side
table by default. The search checks the vector of every candidate row it reads (for the phrase recheck and
when it reads papers newest first), and fetching it from the side table cost about three times as much as
reading it from the row. STORAGE MAIN keeps it in the row, compressed when that helps; the abstract goes to
the side table instead, and only the rows of a page read it (for their snippet).

Rows written before this migration keep their vector where it is until they are next written; to move every
row at once: `UPDATE papers_paper SET title = title` (docs/OPERATIONS.md).
"""

from django.db import migrations


def set_storage(storage: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE papers_paper ALTER COLUMN search_vector SET STORAGE {storage}")

    return run


class Migration(migrations.Migration):
    dependencies = [("papers", "0003_discussed_index_follows_the_sort")]

    operations = [migrations.RunPython(set_storage("MAIN"), set_storage("EXTENDED"))]
