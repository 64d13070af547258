"""What the site's build (``sitebuild``) and the animations (``animations``) share, importable
by both without either importing the other: the content-addressed cache
(:mod:`buildcache.cache`: keys, atomic publishing, pruning) and the small-PNG helpers
(:mod:`buildcache.images`).
"""
