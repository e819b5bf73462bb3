//! Logs go to `<data dir>/logs/switchyard.log` and stderr. Nothing logged may carry a key:
//! commands log provider ids and outcomes only.
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init(dir: &Path) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_env("SWITCHYARD_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,switchyard=debug"));
    let file = std::fs::create_dir_all(dir).ok().map(|_| {
        tracing_appender::non_blocking(tracing_appender::rolling::never(dir, "switchyard.log"))
    });
    let (file_layer, guard) = match file {
        Some((writer, guard)) => (
            Some(fmt::layer().with_ansi(false).with_writer(writer)),
            Some(guard),
        ),
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(file_layer)
        .try_init()
        .ok();
    guard
}
