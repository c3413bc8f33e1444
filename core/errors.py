class DomainError(Exception):
    """A rule of the domain said no. Views show `message` to the person; nothing was changed."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
