"""The glossary layer at work on segments: finding pinned terms and placing their renderings
in translations (pinning), proving each pin landed (landing), and checking a translation
(QA)."""
