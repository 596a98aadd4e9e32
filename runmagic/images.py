"""Image references as docker spells them in its messages. Pure."""


def split_tag(image: str) -> tuple[str, str]:
    """``repo[:tag][@digest]`` -> (repository, tag or digest), defaulting to latest."""
    if "@" in image:
        repository, _, digest = image.partition("@")
        return repository, digest
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1:]
    return image, "latest"


def with_default_tag(image: str) -> str:
    """``busybox`` -> ``busybox:latest``; tags and digests are kept."""
    if "@" in image:
        return image
    repository, tag = split_tag(image)
    return f"{repository}:{tag}"
