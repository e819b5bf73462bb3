// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc: the endpoint's requests allocate and free many small buffers across threads; with
/// the system allocator that was about a fifth of `switchyard serve`'s CPU time at full load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    switchyard_desktop::run();
}
