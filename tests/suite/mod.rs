//! Test modules, one per feature, and the shared [`support::SiteTest`].

mod action;
mod browser;
mod build;
mod build_faults;
mod build_output;
mod dist;
mod fix;
mod forms;
mod hostile;
mod import;
mod insights;
mod layers;
mod migrated;
mod page_kinds;
mod pages;
mod props;
mod publish;
mod rules;
mod sarif;
mod serve;
mod serve_faults;
mod server;
mod sizes;
mod support;
