"""工会工作文库 build tools: raw scraped texts in, clean cross-linked Markdown pages out."""

__version__ = "0.1.0"
