"""Time: reminders for meetings and deadlines (part 2)."""
