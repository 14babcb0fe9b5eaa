"""The domain: aggregates, decisions and commands. Importing it registers the old topics of
moved classes (``coordination/topics.py``), so events stored by earlier releases still read."""

from coordination import topics as topics
