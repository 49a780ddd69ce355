"""One subpackage per service; services never import each other."""
