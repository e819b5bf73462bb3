fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    // The config sits at the root, so capabilities must be pointed at explicitly; a wrong pattern
    // silently grants nothing, which the end-to-end permission check catches.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    )
    .expect("tauri build script failed");
}
