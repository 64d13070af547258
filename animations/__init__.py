"""The site's animations: Manim scenes drawn from nnlib's numbers (the scenes land with their render command)."""
