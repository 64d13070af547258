"""Build machinery of the site, importable as ``sitebuild``.

It lives beside the lessons because it exists only for them: the MkDocs hooks
(:mod:`sitebuild.hooks`), the build-time figures (:mod:`sitebuild.figures`), the lab
runner (:mod:`sitebuild.labs`) and the cache key they share (:mod:`sitebuild.cache`).
"""
