//! The review importer's tests, in one binary: the importer on excerpts of each document
//! ([`import`]), the committed content against the sources and the counts the README states
//! ([`content`]), and a re-import of the whole sources over the committed content, which
//! must give it back unchanged ([`reimport`]).

mod common;
mod content;
mod import;
mod reimport;
