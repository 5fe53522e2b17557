"""The engine of reuse: a store that carries results between builds, and memos keyed by what they depend on."""
