"""What a reviewer works with: the side-by-side review in the terminal, the review workspace
as a library (the web app is in `glossator.server.review`), and `import` of what a CAT tool
sends back."""
