"""The browser app: its built assets (dist/), how they are served, and browser sign-in sessions."""
