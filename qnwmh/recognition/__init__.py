"""Rewards (物质与荣誉奖励) and typical-case stories (典型案例) published on the public site."""
