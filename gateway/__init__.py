"""GraphQL gateway for an energy supplier's customer self-service portal."""
