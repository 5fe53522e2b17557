"""The build: run the pipeline over content, pages and outputs, and put the site in place atomically."""
