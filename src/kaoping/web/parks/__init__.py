"""Parks and on-site observation (产业集聚区/开发区考核, 观摩评比): the parks and their annual
ratings (star levels, ranks), and the observation events in which judges score counties."""
