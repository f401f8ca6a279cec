"""Reports built once as a small document model and rendered to Markdown and to HTML.

`document` holds the model (headings, facts, paragraphs, tables, a roadmap, charts as
data); `markdown` and `html` render it. Neither renderer reads a session: what a report
says is decided where the document is built (`workshop.domain.report`,
`workshop.domain.compare_report`), so both formats say the same thing.
"""
