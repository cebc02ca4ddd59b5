//! casework: a case-workflow engine for the naturalization of families in
//! the Hasakah foreigners' registers. Modules in reading order, each using
//! only the ones above it.

pub mod config;
pub mod domain;
pub mod workflow;
pub mod store;
pub mod mail;
pub mod files;
pub mod app;
pub mod http;
pub mod jobs;
pub mod cli;
