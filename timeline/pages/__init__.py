"""The HTML pages: which pages there are, the theme, and rendering them."""
