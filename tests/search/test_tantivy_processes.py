"""Readers in every process: a commit made by another process (the job runner) reaches this one's searches."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

from taybac.search.backends import tantivy_index
from taybac.search.backends.tantivy import Q


def _count(word: str) -> int:
    searcher = tantivy_index.get_index().searcher()
    return int(searcher.search(Q.term_query(tantivy_index.SCHEMA, "name", word), 1, count=True).count or 0)


def test_a_commit_by_another_process_is_seen_without_reopening(db, settings):
    tantivy_index.write(None)  # this process opens the index (empty catalogue)
    assert _count("khacbiet") == 0
    writer = textwrap.dedent(
        """
        import django
        django.setup()
        import tantivy
        from taybac.search.backends import tantivy_index as ti
        w = ti.get_index().writer(heap_size=15_000_000, num_threads=1)
        doc = tantivy.Document()
        doc.add_text("name", "khacbiet")
        doc.add_unsigned("pid", 999)
        w.add_document(doc)
        w.commit()
        w.wait_merging_threads()
        """
    )
    env = {**os.environ, "TAYBAC_DATA_DIR": str(settings.DATA_DIR), "DJANGO_SETTINGS_MODULE": "taybac.settings"}
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=60, env=env)
    deadline = time.monotonic() + 10
    while _count("khacbiet") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)  # tantivy polls the meta file: a moment, not a restart
    assert _count("khacbiet") == 1
