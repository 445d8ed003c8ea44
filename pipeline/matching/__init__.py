"""The matching engine: an ordered list of passes over frames (see :mod:`.engine`)."""

from pipeline.matching.engine import PASSES, MatchResult, match

__all__ = ["PASSES", "MatchResult", "match"]
