//! Copying SQLite's WAL back into the database file beside the writer, and what each pass
//! tells the writer (`writer::WalLength`), which alone cuts the file back.

use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

/// What a PASSIVE checkpoint found: the WAL's frames, and how many of them are in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pass {
    pub(super) log: i64,
    pub(super) copied: i64,
}

impl Pass {
    /// No pass yet, or its figures not given (another checkpoint held the lock).
    pub(super) const UNKNOWN: u64 = u64::MAX;

    /// Both figures in one word, so the writer never reads one pass's length with
    /// another's copy. A WAL of more than 2^32 frames (16 TB) is not told.
    pub(super) fn packed(self) -> u64 {
        match (u32::try_from(self.log), u32::try_from(self.copied)) {
            (Ok(log), Ok(copied)) if log != u32::MAX => (u64::from(log) << 32) | u64::from(copied),
            _ => Pass::UNKNOWN,
        }
    }

    pub(super) fn unpacked(word: u64) -> Option<Pass> {
        (word != Pass::UNKNOWN).then(|| Pass {
            log: (word >> 32) as i64,
            copied: (word & u64::from(u32::MAX)) as i64,
        })
    }

    pub(super) fn is_whole(self) -> bool {
        self.log == self.copied
    }
}

/// Copies what it can of the WAL into the file without holding up readers or the writer.
/// `None` when another checkpoint was running (SQLite then gives no figures) or it failed.
pub(super) fn passive(conn: &Connection) -> Option<Pass> {
    let ran = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    });
    match ran {
        Ok((0, log, copied)) if log >= 0 && copied >= 0 => Some(Pass { log, copied }),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("database checkpoint (PASSIVE) failed: {e}");
            None
        }
    }
}

/// The WAL file cut back to nothing (a TRUNCATE checkpoint), and said so: after a bulk write
/// the kernel frees the file's cached pages in the call (19 GB after ten million demo
/// clients), which an operator, and a benchmark's steady rows, wait for. Whether it was.
pub(super) fn cut_back(conn: &Connection, file: &std::path::Path) -> bool {
    let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
    let started = std::time::Instant::now();
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(0) => {
            tracing::info!(bytes, took = ?started.elapsed(), "WAL file cut back");
            true
        }
        // Readers kept it from starting over; the next pause tries again.
        Ok(_) => false,
        Err(e) => {
            tracing::warn!("database checkpoint (TRUNCATE) failed: {e}");
            false
        }
    }
}

/// Copies committed WAL frames back into the database file on a thread of its own. SQLite's
/// automatic checkpoint runs inside the commit that crosses its threshold, and made that
/// group's tills wait 100 ms and more while pages were copied and synced; a PASSIVE
/// checkpoint beside the writer copies them without taking the write lock, and SQLite
/// starts the WAL over once all of it has been copied.
///
/// The WAL file keeps its size when it starts over. SQLite could cut it back
/// (`journal_size_limit`), but does so inside the next commit, and truncating a file of
/// hundreds of megabytes held that group's tills half a second. The writer cuts it back
/// instead, once no write has come for [`QUIET`] and the file has grown past
/// [`WAL_KEPT_BYTES`] (`WalLength::may_cut_back`).
///
/// SQLite starts the WAL over only when a write begins after every frame was copied, and
/// under steady writes a checkpoint beside the writer always ends a group or two behind: the
/// WAL grew by gigabytes, every page read searched a longer WAL index, and write-offs slowed
/// by half with 100 ms tails. Once a commit leaves it [`LONG_WAL_FRAMES`] long, the writer
/// copies those last frames itself between two groups (a few milliseconds: the background
/// checkpoint has copied the rest), and the WAL starts over.
///
/// A TRUNCATE checkpoint holds the write lock while it copies what is left. Run from this
/// thread, it waited for the write lock while ten million demo clients were seeded in one
/// transaction, took it at the commit, and copied the seeding's 22 GB while every write
/// after it gave up on the 10 s busy timeout ("database is locked"). Only the writer, between
/// groups and once a pass found every frame copied, cuts the file back now.
pub(super) struct Checkpointer {
    wake: mpsc::SyncSender<()>,
    thread: std::thread::JoinHandle<()>,
}

/// Frames (pages) in the WAL past which the writer finishes a checkpoint itself: 32 MB of
/// 4 KiB pages, a few seconds of steady write-offs.
pub(super) const LONG_WAL_FRAMES: i64 = 8192;

/// The WAL file is cut back to nothing when it has grown past this and writes pause.
pub(super) const WAL_KEPT_BYTES: u64 = 64 << 20;

/// How long without a commit counts as a pause in the writes.
pub(super) const QUIET: std::time::Duration = std::time::Duration::from_secs(1);

impl Checkpointer {
    /// Starts the thread, which tells the writer in `copied` how far each pass got.
    pub(super) fn start(
        conn: Connection,
        wal: PathBuf,
        copied: Arc<AtomicU64>,
    ) -> std::io::Result<Checkpointer> {
        let (wake, woken) = mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let pass = || {
                    let pass = passive(&conn);
                    copied.store(pass.map_or(Pass::UNKNOWN, Pass::packed), Ordering::Relaxed);
                };
                loop {
                    match woken.recv_timeout(QUIET) {
                        Ok(()) => pass(),
                        // A WAL left long with no commit to wake this thread (a restart
                        // after a bulk write) is copied too, and the writer told so.
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
                            if size > WAL_KEPT_BYTES {
                                pass();
                            }
                        }
                        // The writer, which holds the other end, has ended.
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            })?;
        Ok(Checkpointer { wake, thread })
    }

    /// Ends the thread and waits until its connection is closed.
    pub(super) fn stop(self) {
        drop(self.wake);
        if self.thread.join().is_err() {
            tracing::error!("the database checkpoint thread panicked");
        }
    }

    /// Asks for a checkpoint after a commit; one already asked for covers this one too.
    pub(super) fn due(&self) {
        let _ = self.wake.try_send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_is_told_whole_or_not_at_all() {
        let pass = Pass {
            log: 5_600_000,
            copied: 4_000_000,
        };
        assert_eq!(Pass::unpacked(pass.packed()), Some(pass));
        assert_eq!(Pass::unpacked(Pass::UNKNOWN), None);
        let too_long = Pass {
            log: 1 << 40,
            copied: 0,
        };
        assert_eq!(Pass::unpacked(too_long.packed()), None);
        assert!(Pass { log: 7, copied: 7 }.is_whole());
    }

    /// Stopping waits for a pass under way: once `stop` returns, nothing of the thread's
    /// holds the file, and one connection alone may take it out of WAL mode.
    #[test]
    fn a_stopped_checkpointer_has_closed_its_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = super::super::open_connection(&path).unwrap();
        conn.execute_batch(
            "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO t SELECT randomblob(1000) FROM n;",
        )
        .unwrap();
        drop(conn);
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        let checkpoints = Checkpointer::start(
            super::super::open_connection(&path).unwrap(),
            wal.into(),
            Arc::new(AtomicU64::new(Pass::UNKNOWN)),
        )
        .unwrap();
        // A pass over the WAL's 20 MB is asked for, and stopping comes before it ends.
        checkpoints.due();
        checkpoints.stop();
        let alone = Connection::open(&path).unwrap();
        let mode: String = alone
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
}
