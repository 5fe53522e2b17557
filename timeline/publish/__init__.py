"""Publishing a built folder: the rule for what may be published, the secret scan, and the push to a Pages branch."""
