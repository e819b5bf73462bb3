//! Where Switchyard keeps its files. The app and the CLI resolve the same paths.

use std::fmt;
use std::path::{Path, PathBuf};

/// The app's identifier; Tauri's app data directory is `<data dir>/<IDENTIFIER>`.
pub const IDENTIFIER: &str = "dev.switchyard.desktop";

/// The identifier of the first releases. Its ending `.app` is a bundle's extension on macOS,
/// so it was changed; the app's first start moves the old data directory (see [`relocate`]).
pub const OLD_IDENTIFIER: &str = "dev.switchyard.app";

fn base() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from("."))
}

/// `<data dir>/dev.switchyard.desktop`, e.g. `~/.local/share/dev.switchyard.desktop` on Linux;
/// the old `dev.switchyard.app` while that one still holds the data and the new one is absent
/// (the CLI ran before the app's first start moved it, or the move failed), so no data is ever
/// left behind unseen.
pub fn data_dir() -> PathBuf {
    data_dir_in(&base())
}

/// [`data_dir`] under `base` instead of the system's data directory.
pub fn data_dir_in(base: &Path) -> PathBuf {
    let new = base.join(IDENTIFIER);
    let old = base.join(OLD_IDENTIFIER);
    if !holds_data(&new) && old.is_dir() {
        old
    } else {
        new
    }
}

/// Whether `dir` holds anything but logs. A folder with only its `logs` (written by a run that
/// never got to open a database there, or by a closing app whose folder was removed under it)
/// is no data, and must not hide the data of the old identifier.
fn holds_data(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|mut entries| entries.any(|e| !e.is_ok_and(|e| e.file_name() == "logs")))
}

/// Moves the log files of `from` (a folder with nothing but logs) into `to/logs` (appended to a
/// file of the same name), then removes `from`.
fn fold_logs_into(from: &Path, to: &Path) -> std::io::Result<()> {
    let logs = from.join("logs");
    if logs.is_dir() {
        let target = to.join("logs");
        std::fs::create_dir_all(&target)?;
        for entry in std::fs::read_dir(&logs)? {
            let entry = entry?;
            let dest = target.join(entry.file_name());
            if dest.exists() {
                let text = std::fs::read(entry.path())?;
                let mut file = std::fs::OpenOptions::new().append(true).open(&dest)?;
                std::io::Write::write_all(&mut file, &text)?;
                std::fs::remove_file(entry.path())?;
            } else {
                std::fs::rename(entry.path(), &dest)?;
            }
        }
        std::fs::remove_dir(&logs)?;
    }
    std::fs::remove_dir(from)
}

/// The database file: `SWITCHYARD_DB` when set, else `switchyard.db` in the data directory.
pub fn default_db_path() -> PathBuf {
    match std::env::var_os("SWITCHYARD_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => data_dir().join("switchyard.db"),
    }
}

pub fn log_dir() -> PathBuf {
    data_dir().join("logs")
}

/// What [`relocate`] did with the data directory of the old identifier.
#[derive(Debug, PartialEq, Eq)]
pub enum Relocation {
    /// There was nothing at the old place.
    Nothing,
    /// The old directory (database, rules, logs, webview storage) was renamed to the new one.
    Moved { from: PathBuf, to: PathBuf },
    /// Both exist: the new one is used and the old one is left untouched.
    BothExist { old: PathBuf, new: PathBuf },
    /// The rename failed; the old directory is still used where it is.
    Failed {
        from: PathBuf,
        to: PathBuf,
        error: String,
    },
}

impl fmt::Display for Relocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Nothing => write!(f, "no data directory from an earlier version"),
            Self::Moved { from, to } => write!(
                f,
                "data directory moved from {} to {}",
                from.display(),
                to.display()
            ),
            Self::BothExist { old, new } => write!(
                f,
                "data from an earlier version is still in {}; Switchyard uses {} and left the old \
                 folder untouched: move what you need from it by hand, then delete it",
                old.display(),
                new.display()
            ),
            Self::Failed { from, to, error } => write!(
                f,
                "could not move the data directory from {} to {} ({error}); the old one is used \
                 where it is",
                from.display(),
                to.display()
            ),
        }
    }
}

/// Moves the old identifier's data directory to the new place, in one rename. Called by the
/// app at start, before anything opens a file there.
pub fn relocate() -> Relocation {
    relocate_in(&base())
}

/// [`relocate`] under `base` instead of the system's data directory.
pub fn relocate_in(base: &Path) -> Relocation {
    let old = base.join(OLD_IDENTIFIER);
    let new = base.join(IDENTIFIER);
    if !old.is_dir() {
        return Relocation::Nothing;
    }
    if holds_data(&new) {
        return Relocation::BothExist { old, new };
    }
    if new.exists() {
        // Only logs there: they join the old folder's, and the old folder moves as usual.
        if let Err(e) = fold_logs_into(&new, &old) {
            return Relocation::Failed {
                from: old,
                to: new,
                error: e.to_string(),
            };
        }
    }
    // A rename within one folder: atomic, and it never replaces a directory that has files.
    match std::fs::rename(&old, &new) {
        Ok(()) => Relocation::Moved { from: old, to: new },
        Err(e) => Relocation::Failed {
            from: old,
            to: new,
            error: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn the_old_directory_moves_with_everything_in_it() {
        let base = tempfile::tempdir().unwrap();
        let old = base.path().join(OLD_IDENTIFIER);
        write(&old.join("switchyard.db"), "database");
        write(&old.join("switchyard.db-wal"), "wal");
        write(&old.join("logs/switchyard.log"), "log");
        assert_eq!(
            data_dir_in(base.path()),
            old,
            "before the move the old place is used"
        );

        let new = base.path().join(IDENTIFIER);
        assert_eq!(
            relocate_in(base.path()),
            Relocation::Moved {
                from: old.clone(),
                to: new.clone()
            }
        );
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(new.join("switchyard.db")).unwrap(),
            "database"
        );
        assert_eq!(
            fs::read_to_string(new.join("switchyard.db-wal")).unwrap(),
            "wal"
        );
        assert_eq!(
            fs::read_to_string(new.join("logs/switchyard.log")).unwrap(),
            "log"
        );
        assert_eq!(data_dir_in(base.path()), new);
        assert_eq!(
            relocate_in(base.path()),
            Relocation::Nothing,
            "a second start has nothing to move"
        );
    }

    #[test]
    fn a_new_folder_with_only_logs_does_not_hide_the_old_data() {
        let base = tempfile::tempdir().unwrap();
        let old = base.path().join(OLD_IDENTIFIER);
        let new = base.path().join(IDENTIFIER);
        write(&old.join("switchyard.db"), "database");
        write(&old.join("logs/switchyard.log"), "old log\n");
        write(&new.join("logs/switchyard.log"), "new log\n");
        write(&new.join("logs/other.log"), "other\n");
        assert_eq!(data_dir_in(base.path()), old, "logs alone are not data");

        assert_eq!(
            relocate_in(base.path()),
            Relocation::Moved {
                from: old.clone(),
                to: new.clone()
            }
        );
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(new.join("switchyard.db")).unwrap(),
            "database"
        );
        assert_eq!(
            fs::read_to_string(new.join("logs/switchyard.log")).unwrap(),
            "old log\nnew log\n"
        );
        assert_eq!(
            fs::read_to_string(new.join("logs/other.log")).unwrap(),
            "other\n"
        );
    }

    #[test]
    fn when_both_exist_the_new_one_is_kept_and_the_old_one_untouched() {
        let base = tempfile::tempdir().unwrap();
        let old = base.path().join(OLD_IDENTIFIER);
        let new = base.path().join(IDENTIFIER);
        write(&old.join("switchyard.db"), "old database");
        write(&new.join("switchyard.db"), "new database");

        let done = relocate_in(base.path());
        assert_eq!(
            done,
            Relocation::BothExist {
                old: old.clone(),
                new: new.clone()
            }
        );
        assert!(done.to_string().contains("left the old folder untouched"));
        assert_eq!(
            fs::read_to_string(old.join("switchyard.db")).unwrap(),
            "old database"
        );
        assert_eq!(
            fs::read_to_string(new.join("switchyard.db")).unwrap(),
            "new database"
        );
        assert_eq!(data_dir_in(base.path()), new);
    }

    #[test]
    fn a_fresh_machine_has_nothing_to_move_and_uses_the_new_place() {
        let base = tempfile::tempdir().unwrap();
        assert_eq!(relocate_in(base.path()), Relocation::Nothing);
        assert_eq!(data_dir_in(base.path()), base.path().join(IDENTIFIER));
        assert!(!base.path().join(IDENTIFIER).exists(), "nothing is created");
    }
}
