"""The preview server: serve a folder, watch the sources, call a rebuild, reload open pages."""
