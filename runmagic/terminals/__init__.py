"""Interactive containers: live terminals in cells, the line mode, scripted sessions and transcripts."""
