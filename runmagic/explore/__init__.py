"""The image explorer's analysis: pure, no IPython, no docker.

``archive`` reads an image export as it streams, ``filetree`` holds layers as
dive does, ``efficiency`` computes dive's wasted space and score, ``analysis``
puts the layers, their changes and the merged filesystem together (cached by
image ID).
"""
