"""Modal dialogs: choice lists (codes, respondents, questions, codings) and memos."""
