//! Integration tests: whole builds of fixture sites, HTML checked with a
//! real parser.

mod suite;
