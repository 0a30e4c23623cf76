//! Chorus's integration tests, in one binary (as ripgrep's are) so that a test run links once.
//! Each module tests one part of the product through the library's pipeline or the `chorus`
//! binary, on fixture sites (`tests/fixtures/`), the malformed-input corpus
//! (`tests/malformed/`) or the review site itself.

mod common;

mod build;
mod corpus;
mod errors;
mod escaping;
mod fidelity;
mod import;
mod incremental;
mod malformed;
mod open_data;
mod publish;
mod review;
mod schema;
mod search;
mod serve;
mod workbench;
