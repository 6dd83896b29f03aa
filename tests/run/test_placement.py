"""Article keys: the record of which article a PO translates."""

from __future__ import annotations

import os

from glossator.run.placement import article_key


def test_keys_made_with_folders_remembered_are_the_keys_made_alone(tmp_path, monkeypatch):
    """A run remembers each folder's real path; the keys are those resolving every article
    whole gives, through linked folders, linked articles and relative paths alike."""
    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    (archive / "2024" / "a.txt").write_text("A.\n")
    (archive / "2024" / "b.txt").write_text("B.\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.txt").write_text("C.\n")
    (archive / "2024" / "c.txt").symlink_to(tmp_path / "elsewhere" / "c.txt")
    (tmp_path / "linked").symlink_to(archive / "2024")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "out-link").symlink_to(out)
    monkeypatch.chdir(tmp_path)
    articles = [archive / "2024" / "a.txt", archive / "2024" / "c.txt",
                tmp_path / "linked" / "b.txt", tmp_path / "linked" / "c.txt",
                archive / "2024" / ".." / "2024" / "a.txt",
                tmp_path / "linked" / ".." / "2024" / "b.txt",  # ".." of the link's target
                type(archive)("linked") / "a.txt", type(archive)("archive/2024/b.txt")]
    remembered: dict[str, str] = {}
    for outputs in (out, tmp_path / "out-link", type(out)("out")):
        for article in articles:
            assert article_key(article, outputs, remembered) == article_key(article, outputs)
    assert article_key(tmp_path / "linked" / "c.txt", out, remembered) == os.path.join(
        "..", "elsewhere", "c.txt")
    assert article_key(tmp_path / "linked" / "b.txt", out, remembered) == os.path.join(
        "..", "archive", "2024", "b.txt")
