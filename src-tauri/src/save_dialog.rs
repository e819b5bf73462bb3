//! Files the app writes (conversation exports, the spend CSV, rule files) go only where the user
//! chose in the system save dialog, which the save commands open here on the Rust side. The
//! webview never names a path, so a compromised page cannot make the app write anywhere.
use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::error::{AppError, AppResult};

/// What a save dialog offers: a suggested file name and one filter.
pub struct SaveAs<'a> {
    pub suggested: &'a str,
    pub filter: &'a str,
    pub extension: &'a str,
}

/// Asks where to save, then writes `contents` there. Returns the path written, or `None` when
/// the user cancelled.
pub async fn save_with_dialog(
    app: &AppHandle,
    offer: SaveAs<'_>,
    contents: impl AsRef<[u8]>,
) -> AppResult<Option<String>> {
    let Some(path) = ask(app, &offer).await? else {
        return Ok(None);
    };
    tokio::fs::write(&path, contents)
        .await
        .map_err(|e| AppError {
            code: switchyard_engine::ErrorCode::Io,
            message: format!("Could not write {}: {e}", path.display()),
            field: None,
        })?;
    Ok(Some(path.display().to_string()))
}

async fn ask(app: &AppHandle, offer: &SaveAs<'_>) -> AppResult<Option<PathBuf>> {
    let name = file_name(offer.suggested, offer.extension);
    // Debug builds only: the end-to-end tests cannot click a native dialog, so they set this
    // to a scratch folder and the dialog "answers" with the suggested name in it.
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os("SWITCHYARD_E2E_SAVE_DIR") {
        return Ok(Some(std::path::Path::new(&dir).join(name)));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(name)
        .add_filter(offer.filter, &[offer.extension])
        .save_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    let chosen = rx
        .await
        .map_err(|_| dialog_error("the save dialog closed unexpectedly"))?;
    chosen
        .map(|p| {
            p.into_path()
                .map_err(|e| dialog_error(&format!("the chosen location is not a file path ({e})")))
        })
        .transpose()
}

/// The suggested name as a plain file name: letters, digits, spaces, `-` and `_`, then the
/// extension (a conversation title may hold anything).
fn file_name(suggested: &str, extension: &str) -> String {
    let stem: String = suggested
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "export" } else { stem };
    format!("{stem}.{extension}")
}

fn dialog_error(message: &str) -> AppError {
    AppError {
        code: switchyard_engine::ErrorCode::Io,
        message: format!("Could not save: {message}."),
        field: None,
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn suggested_names_cannot_leave_the_chosen_folder() {
        assert_eq!(file_name("../../etc/passwd", "md"), "etcpasswd.md");
        assert_eq!(
            file_name("Trip: plan / notes", "json"),
            "Trip plan  notes.json"
        );
        assert_eq!(file_name("..", "csv"), "export.csv");
    }
}
