"""Reading and writing files safely: regular files within size limits, atomic writes and the
output folder's lock, one safe XML parser, spreadsheet-safe cells, text made safe to print,
file names made safe to write inside outputs. Imports nothing above it."""
