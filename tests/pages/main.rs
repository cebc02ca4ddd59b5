//! The pages people use in a browser: signing in, the officers'
//! workbench and its typed forms. One test binary; each module was its own file.
//!
//! `tests/common` holds the helpers and builders all the binaries share.

#[path = "../common/mod.rs"]
mod common;

mod home;
mod queue;
mod signin;
mod dashboard;
mod forms;
mod digits;
mod site;
mod typed_forms;
mod workbench;
mod workflow_forms;
