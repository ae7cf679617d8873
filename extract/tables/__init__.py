"""Tables: words into rows and columns, layout, column roles, rows into records."""
