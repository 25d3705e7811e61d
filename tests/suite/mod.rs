//! Test modules, one per feature, and the shared [`support::SiteTest`].

mod build;
mod insights;
mod pages;
mod props;
mod publish;
mod rules;
mod serve;
mod support;
