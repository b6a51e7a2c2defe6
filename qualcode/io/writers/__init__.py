"""One small module per output format; `qualcode.io.tables.write_table` picks the writer.

Every writer takes a `qualcode.coding.table.Table`. Text writers return `str`, binary writers
(xlsx, docx) write to a binary stream.
"""
