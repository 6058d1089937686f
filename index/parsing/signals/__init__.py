"""Structure signals: each module reads one kind of evidence for agenda items and sections."""
