"""The ground floor: how the bot reads and writes Norwegian text, and the one reply builder.

Every other package of ours may import this one; it imports none of them.
"""
