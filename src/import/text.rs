//! Clean-up of text taken from PDFs and web pages (being written).
