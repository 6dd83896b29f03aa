"""From a file to segments: reading an article (and dropping web-page cruft), splitting its
paragraphs into sentences, and datelines. No engine, glossary or file format here."""
