"""Assessment and publication (计算、公示与发布): compute from approved figures, announce for
objections, publish frozen with the content hash of its inputs."""
