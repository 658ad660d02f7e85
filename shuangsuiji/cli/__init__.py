"""The command line: thin commands over the library. Heavy imports happen inside commands."""
