"""The command line: parse arguments, call one layer below, print, and choose the exit code."""
