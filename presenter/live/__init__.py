"""The live presentation: state machine, persistence, record, and the socket adapter."""
