"""Build machinery of the site, importable as ``sitebuild``.

It lives beside the lessons because it exists only for them: the MkDocs hooks
(:mod:`sitebuild.hooks`), the build-time figures (:mod:`sitebuild.figures`), the lab
runner (:mod:`sitebuild.labs`). The cache they share with the animations lives in its own
package, :mod:`buildcache`, so that the build and the animations never import each other.
"""
