"""Turn reports and other tools' timelines into content files."""
