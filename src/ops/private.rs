//! Files and folders only their owner may read: the journal, the database and the exports
//! hold clients' personal data, the logs name clients and vendors.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::path::Path;

/// `dir` and any missing parents, each new one 0700.
pub fn dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// `path` opened to append to, made 0600 if it is new (with its folder, 0700).
pub fn append(path: &Path) -> io::Result<File> {
    open(path, OpenOptions::new().create(true).append(true))
}

/// A new file at `path`, 0600, in its folder (made 0700 if missing).
pub fn create(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new().create(true).write(true).truncate(true),
    )
}

fn open(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        dir_all(dir)?;
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options.open(path)
}

/// Files the process makes from here on without a mode of their own (the daily logs, which
/// their library opens) are its owner's only.
pub fn owner_only_from_now() {
    // SAFETY: umask sets the process's file creation mask and returns the old one; it
    // touches no memory of ours.
    #[cfg(unix)]
    unsafe {
        libc::umask(0o077);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_the_owners_only() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("a/b/journal.jsonl");
        append(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&root.path().join("a/b")), 0o700);
        let export = root.path().join("exports/x.csv");
        create(&export).unwrap();
        assert_eq!(mode(&export), 0o600);
        assert_eq!(mode(&root.path().join("exports")), 0o700);
    }
}
