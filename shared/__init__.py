"""The ground floor: pieces every app of the hub builds on (markdown, fields, paging, page cache, API base).

Nothing here imports an app of the hub; the apps import from here (a test holds the direction).
"""
