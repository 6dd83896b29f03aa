"""The translate run: finding the articles, placing their outputs, merging what a previous
run and its reviewers left, scheduling chunks for engines (in this process, in workers or on
Ray actors), resuming, progress, and writing each article's outputs."""
