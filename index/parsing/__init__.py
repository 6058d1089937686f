"""Minutes files → typed Meetings.

``readers/`` has one reader per format (PDF, DOCX, text, web page), ``signals/`` one module per kind of
structure evidence (outline, contents page, typography, numbering, headings, case numbers), ``combine`` weighs
them into agenda items, ``meta`` and ``participants`` read the meeting's facts.
"""

from index.parsing.parse import parse_file
from index.parsing.readers import SUPPORTED_SUFFIXES, Limits

__all__ = ["SUPPORTED_SUFFIXES", "Limits", "parse_file"]
