"""Campaign administration: editing and closing sites and associations, inviting staff."""
