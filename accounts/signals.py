# The login throttle's receiver (a successful login releases its slot) lives with the
# throttle itself; importing it here connects it when the app is ready.
from . import throttle  # noqa: F401
