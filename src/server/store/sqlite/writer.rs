//! SQLite's one writer: a thread that owns the write connection and commits queued writes
//! in groups. SQLite lets one connection write at a time and `synchronous = FULL` costs an
//! fsync per commit; writers that each took the lock and synced in turn made every till
//! wait for the syncs of all the tills ahead of it. Here the writes that queued while the
//! last group was committing run next, each in its own savepoint (a refusal or a failure
//! undoes only its own changes), under one `BEGIN IMMEDIATE … COMMIT`: one fsync for the
//! group, and each caller is answered only after the commit that made its write durable.

use super::checkpoints::{
    Checkpointer, LONG_WAL_FRAMES, Pass, QUIET, WAL_KEPT_BYTES, cut_back, passive,
};
use crate::server::store::StoreError;
use rusqlite::Connection;
use rusqlite::hooks::Wal;
use std::ffi::c_int;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

/// Most writes in one commit: a group is whatever queued meanwhile, up to this many, so
/// one long group cannot hold the first caller's answer for long.
const MOST_PER_COMMIT: usize = 128;

/// A queued write: runs on the writer's connection inside the group's transaction and
/// hands back how to answer its caller once the group's fate is known.
type Job = Box<dyn FnOnce(&mut Connection) -> Ran + Send>;

/// Tells a job's caller how it went, given whether its group was committed (or why not).
type Answer = Box<dyn FnOnce(Result<(), &str>) + Send>;

/// How a job went: its answer, waiting for the commit, and whether the connection's
/// transaction is still sound after it.
struct Ran {
    answer: Answer,
    broke: Option<rusqlite::Error>,
}

/// The queue into the writer thread; the thread ends when the last store clone drops it.
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
    thread: std::thread::JoinHandle<()>,
}

impl Writer {
    pub(super) fn start(conn: Connection, path: PathBuf) -> std::io::Result<Writer> {
        Writer::start_with(conn, path, LONG_WAL_FRAMES)
    }

    /// [`Writer::start`] with the WAL length at which the writer finishes a checkpoint.
    fn start_with(mut conn: Connection, path: PathBuf, long_wal: i64) -> std::io::Result<Writer> {
        let mut wal_file = path.clone().into_os_string();
        wal_file.push("-wal");
        let wal = WalLength {
            frames: Arc::new(AtomicI64::new(0)),
            long: long_wal,
            copied: Arc::new(AtomicU64::new(Pass::UNKNOWN)),
            file: wal_file.into(),
        };
        wal.watch(&mut conn).map_err(std::io::Error::other)?;
        let checkpoints = Checkpointer::start(
            super::open_connection(&path).map_err(std::io::Error::other)?,
            wal.file.clone(),
            wal.copied.clone(),
        )?;
        let (jobs, queue) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_in_groups(conn, &path, &queue, checkpoints, &wal))?;
        Ok(Writer { jobs, thread })
    }

    /// Ends the writer once the writes queued before are answered, and waits until its
    /// connection and the checkpoint thread's are closed.
    pub(super) fn close(self) -> Result<(), StoreError> {
        drop(self.jobs);
        self.thread
            .join()
            .map_err(|_| StoreError::Worker("the database writer panicked".into()))
    }

    /// Queues `f` at once (so writes keep the order of these calls) and returns the wait
    /// for it to be committed (or refused, or undone).
    pub(super) fn run<T, F>(
        &self,
        f: F,
    ) -> impl std::future::Future<Output = Result<T, StoreError>> + use<T, F>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tell, told) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let (outcome, broke) = in_savepoint(conn, f);
            let answer = Box::new(move |committed: Result<(), &str>| {
                let answer = match (outcome, committed) {
                    (Ok(_), Err(why)) => Err(not_done(why)),
                    (outcome, _) => outcome,
                };
                // The caller may have gone (its request was dropped): the write stands.
                let _ = tell.send(answer);
            });
            Ran { answer, broke }
        });
        let queued = self.jobs.send(job);
        async move {
            queued.map_err(|_| not_done("the database writer has stopped"))?;
            // Dropped unanswered means the job never ran (its group could not begin, or
            // the write before it broke the group) or the writer itself ended.
            told.await
                .map_err(|_| not_done("the database could not take it; see the server log"))?
        }
    }
}

/// Nothing was written, and saying so lets the caller try again (a 503 over HTTP).
fn not_done(why: &str) -> StoreError {
    StoreError::Unavailable(format!("the write was not committed: {why}"))
}

/// Runs `f` in a savepoint, kept if `f` succeeds and undone otherwise. A panic in `f` is
/// an error of this write alone. The second value reports a savepoint that could not be
/// closed: the group's transaction is then in doubt and is rolled back whole.
fn in_savepoint<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
) -> (Result<T, StoreError>, Option<rusqlite::Error>) {
    if let Err(e) = conn.execute_batch("SAVEPOINT write") {
        return (Err(not_done(&e.to_string())), Some(e));
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut *conn)))
        .unwrap_or_else(|_| Err(StoreError::Worker("a write panicked; it was undone".into())));
    let close = if outcome.is_ok() {
        "RELEASE write"
    } else {
        "ROLLBACK TO write; RELEASE write"
    };
    match conn.execute_batch(close) {
        Ok(()) => (outcome, None),
        Err(e) => (Err(not_done(&e.to_string())), Some(e)),
    }
}

/// How long the WAL is after the writer's last commit, how long is too long, and how much of
/// it the background checkpoint last found copied.
struct WalLength {
    frames: Arc<AtomicI64>,
    long: i64,
    /// The background checkpoint's last pass ([`Pass::packed`]).
    copied: Arc<AtomicU64>,
    file: PathBuf,
}

impl WalLength {
    /// Makes `conn` the writer's connection and has its commits report the WAL's length.
    fn watch(&self, conn: &mut Connection) -> rusqlite::Result<()> {
        // Copying the WAL back into the file is the checkpointers' work, not the commit's.
        // (The pragma installs SQLite's own WAL hook, so it comes before ours.)
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // Savepoints and statements that may abort halfway keep the pages they change in a
        // sub-journal, a temporary file by default: in memory instead, where a write's few
        // pages (and seeding's many) cost no system call.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let frames = self.frames.clone();
        let copied = self.copied.clone();
        conn.wal_hook(Some(move |_: &mut Wal, in_wal: c_int| {
            let in_wal = i64::from(in_wal);
            // Shorter than after the last commit: the WAL started over, and the last pass
            // told of the old one.
            if in_wal < frames.swap(in_wal, Ordering::Relaxed) {
                copied.store(Pass::UNKNOWN, Ordering::Relaxed);
            }
            Ok(())
        }))
    }

    /// The WAL file was cut back: what the last commit and pass told is of the old WAL. Kept,
    /// a whole pass over a bulk write's WAL would make the next bulk write of about its length
    /// look like a tail the writer may copy, minutes of copying every write would wait for.
    fn started_over(&self) {
        self.frames.store(0, Ordering::Relaxed);
        self.copied.store(Pass::UNKNOWN, Ordering::Relaxed);
    }

    /// Whether the writer should finish the copy itself: the WAL is past its bound, and either
    /// short enough that the copy is bounded anyway, or all but its last groups were already
    /// copied by the background checkpoint. After a bulk write (a seeding, an upgrade's
    /// migration, an import) nearly the whole WAL is still to copy: 22 GB after ten million
    /// demo clients, minutes of copying that every write queued behind the writer would wait
    /// for. That copy is the background checkpoint's, beside the writes.
    fn only_its_tail_is_left(&self) -> bool {
        let frames = self.frames.load(Ordering::Relaxed);
        if frames <= self.long {
            return false;
        }
        // A WAL this short is copied whatever the passes said: at most 64 MB.
        if frames <= 2 * LONG_WAL_FRAMES {
            return true;
        }
        // A pass over a WAL longer than this one was made before it started over: stale.
        Pass::unpacked(self.copied.load(Ordering::Relaxed))
            .is_some_and(|pass| pass.log <= frames && frames - pass.copied <= LONG_WAL_FRAMES)
    }

    /// Whether the WAL file may be cut back now, between groups: it has grown past
    /// [`WAL_KEPT_BYTES`], and a pass made since the writer's last commit found every frame
    /// copied. A TRUNCATE checkpoint holds the write lock while it copies what is left; here
    /// nothing is.
    fn may_cut_back(&self) -> bool {
        let frames = self.frames.load(Ordering::Relaxed);
        let last = Pass::unpacked(self.copied.load(Ordering::Relaxed));
        last.is_some_and(|pass| pass.is_whole() && pass.log >= frames)
            && std::fs::metadata(&self.file).is_ok_and(|m| m.len() > WAL_KEPT_BYTES)
    }
}

fn write_in_groups(
    mut conn: Connection,
    path: &std::path::Path,
    queue: &mpsc::Receiver<Job>,
    checkpoints: Checkpointer,
    wal: &WalLength,
) {
    loop {
        let first = match queue.recv_timeout(QUIET) {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if wal.may_cut_back() && cut_back(&conn, &wal.file) {
                    wal.started_over();
                }
                continue;
            }
            // Every store clone, which held the other end, has gone.
            Err(mpsc::RecvTimeoutError::Disconnected) => return checkpoints.stop(),
        };
        let mut group = vec![first];
        group.extend(queue.try_iter().take(MOST_PER_COMMIT - 1));
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            // The group is dropped unrun: each caller hears that nothing was done.
            tracing::error!("database writer cannot begin: {e}");
            reopen(&mut conn, path, wal);
            continue;
        }
        let mut answers = Vec::with_capacity(group.len());
        let mut broke = None;
        for job in group {
            if broke.is_some() {
                break;
            }
            let ran = job(&mut conn);
            answers.push(ran.answer);
            broke = ran.broke;
        }
        let committed = match broke {
            None => conn.execute_batch("COMMIT").map_err(|e| e.to_string()),
            Some(e) => Err(e.to_string()),
        };
        if let Err(why) = &committed {
            tracing::error!(writes = answers.len(), "database commit failed: {why}");
            if conn.execute_batch("ROLLBACK").is_err() || !conn.is_autocommit() {
                reopen(&mut conn, path, wal);
            }
        }
        let committed = committed.as_ref().map(|_| ()).map_err(String::as_str);
        for answer in answers {
            answer(committed);
        }
        if wal.only_its_tail_is_left() {
            // Between groups no commit can land while this runs, so it copies the last
            // frames the background checkpoint has not caught up with, and the next
            // group's write starts the WAL over from its beginning.
            passive(&conn);
        }
        checkpoints.due();
    }
}

/// A connection whose state is in doubt is replaced; if no new one can be opened the old
/// one stays, and the next group's `BEGIN` tells.
fn reopen(conn: &mut Connection, path: &std::path::Path, wal: &WalLength) {
    let fresh = super::open_connection(path).and_then(|mut fresh| {
        wal.watch(&mut fresh)?;
        Ok(fresh)
    });
    match fresh {
        Ok(fresh) => *conn = fresh,
        Err(e) => tracing::error!("database writer cannot reopen the file: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn rows(path: &std::path::Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT name FROM t ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A writer over a new database made by `schema`, finishing checkpoints at `long_wal`.
    fn writer_over(schema: &str, long_wal: i64) -> (tempfile::TempDir, PathBuf, Writer) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let conn = crate::server::store::sqlite::open_connection(&path).unwrap();
        conn.execute_batch(schema).unwrap();
        let writer = Writer::start_with(conn, path.clone(), long_wal).unwrap();
        (dir, path, writer)
    }

    fn insert(name: &'static str) -> impl FnOnce(&mut Connection) -> Result<(), StoreError> {
        move |c| {
            c.execute("INSERT INTO t (name) VALUES (?1)", [name])?;
            Ok(())
        }
    }

    /// The writes queued while one runs are committed together, each kept or undone alone,
    /// each answered after its commit; a write that breaks the group's transaction costs
    /// the group its commit, every one of its callers hears so, and the writer goes on.
    #[tokio::test]
    async fn a_group_commits_together_and_each_write_stands_or_falls_alone() {
        let (_dir, path, writer) =
            writer_over("CREATE TABLE t (name TEXT PRIMARY KEY)", LONG_WAL_FRAMES);

        // The first write holds the writer until the next ones are queued behind it.
        let (started, has_started) = channel();
        let (release, released) = channel::<()>();
        let first = writer.run(move |c| {
            started.send(()).unwrap();
            released.recv().unwrap();
            insert("a")(c)
        });
        let first = tokio::spawn(first);
        has_started.recv().unwrap();
        let kept = writer.run(insert("b"));
        let refused = writer.run(|c| {
            insert("c")(c)?;
            Err::<(), _>(StoreError::Invalid("refused after writing".into()))
        });
        let panicked = writer.run(|c| -> Result<(), StoreError> {
            insert("d")(c)?;
            panic!("a bug in one write")
        });
        let also_kept = writer.run(insert("e"));
        release.send(()).unwrap();

        first.await.unwrap().unwrap();
        kept.await.unwrap();
        assert_eq!(
            rows(&path),
            ["a", "b", "e"],
            "answered only once committed, and without the writes that failed"
        );
        assert!(matches!(refused.await, Err(StoreError::Invalid(_))));
        assert!(matches!(panicked.await, Err(StoreError::Worker(_))));
        also_kept.await.unwrap();

        // A write that ends the shared transaction itself: nothing of its group stands.
        let (started, has_started) = channel();
        let (release, released) = channel::<()>();
        let hold = tokio::spawn(writer.run(move |c| {
            started.send(()).unwrap();
            released.recv().unwrap();
            insert("f")(c)
        }));
        has_started.recv().unwrap();
        let beside = writer.run(insert("g"));
        let breaking = writer.run(|c| Ok(c.execute_batch("ROLLBACK")?));
        release.send(()).unwrap();
        hold.await.unwrap().unwrap();
        for lost in [beside.await, breaking.await] {
            assert!(
                matches!(&lost, Err(StoreError::Unavailable(m)) if m.contains("not committed")),
                "{lost:?}"
            );
        }
        writer.run(insert("h")).await.unwrap();
        assert_eq!(rows(&path), ["a", "b", "e", "f", "h"]);
    }

    fn wal(frames: i64, last: Option<Pass>) -> WalLength {
        WalLength {
            frames: Arc::new(AtomicI64::new(frames)),
            long: 64,
            copied: Arc::new(AtomicU64::new(last.map_or(Pass::UNKNOWN, Pass::packed))),
            file: PathBuf::new(),
        }
    }

    /// The file is cut back (a TRUNCATE checkpoint, which holds the write lock while it
    /// copies what is left) only when a pass made after the writer's last commit found
    /// nothing left to copy.
    #[test]
    fn the_wal_file_is_cut_back_only_with_nothing_left_to_copy() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.db-wal");
        let over = |frames, last: Option<Pass>, bytes| {
            std::fs::File::create(&file)
                .unwrap()
                .set_len(bytes)
                .unwrap();
            WalLength {
                file: file.clone(),
                ..wal(frames, last)
            }
            .may_cut_back()
        };
        let long = WAL_KEPT_BYTES + 1;
        let whole = Some(Pass {
            log: 5_600_000,
            copied: 5_600_000,
        });
        assert!(over(5_600_000, whole, long));
        assert!(
            over(0, whole, long),
            "a restart after a bulk write, all copied"
        );
        assert!(
            !over(5_600_000, whole, WAL_KEPT_BYTES),
            "short enough to keep"
        );
        let copying = Some(Pass {
            log: 5_600_000,
            copied: 1_000_000,
        });
        assert!(
            !over(5_600_000, copying, long),
            "a bulk write still being copied"
        );
        assert!(!over(5_600_100, whole, long), "a commit since the pass");
        assert!(!over(5_600_000, None, long), "no pass told how far it got");
    }

    /// The writer copies only the last groups the background checkpoint has not reached; a
    /// bulk write's WAL, or one it knows nothing of, is left to the background.
    #[test]
    fn the_writer_copies_only_the_tail_a_checkpoint_left() {
        let pass = |log, copied| Some(Pass { log, copied });
        let bulk = 3 * LONG_WAL_FRAMES;
        // (WAL frames, the last pass, whether the writer finishes the copy, why)
        let cases = [
            (50, None, false, "not long yet"),
            (
                100,
                None,
                true,
                "a short WAL is copied whatever the passes said",
            ),
            (
                bulk,
                None,
                false,
                "a bulk write's WAL, no pass told how far it got",
            ),
            (
                bulk,
                pass(90, 80),
                false,
                "a bulk write's WAL is the background's to copy",
            ),
            (
                bulk,
                pass(bulk - 10, bulk - 100),
                true,
                "only a tail is left",
            ),
            (
                bulk,
                pass(5_000_000, 5_000_000),
                false,
                "a pass over a longer WAL is stale",
            ),
        ];
        for (frames, last, finishes, why) in cases {
            assert_eq!(wal(frames, last).only_its_tail_is_left(), finishes, "{why}");
        }
    }

    /// A pass told of a WAL that has since started over, or been cut back, is forgotten: a
    /// whole pass over a bulk write's WAL would otherwise make a second bulk write of about
    /// its length look like a tail for the writer to copy.
    #[test]
    fn a_pass_over_a_wal_that_started_over_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            crate::server::store::sqlite::open_connection(&dir.path().join("w.db")).unwrap();
        conn.execute_batch("CREATE TABLE t (name TEXT)").unwrap();
        let watched = wal(0, None);
        watched.watch(&mut conn).unwrap();
        for name in ["a", "b", "c"] {
            insert(name)(&mut conn).unwrap();
        }
        let whole = passive(&conn).unwrap();
        assert!(whole.is_whole() && whole.log >= 3, "{whole:?}");
        watched.copied.store(whole.packed(), Ordering::Relaxed);
        insert("d")(&mut conn).unwrap();
        assert_eq!(
            Pass::unpacked(watched.copied.load(Ordering::Relaxed)),
            None,
            "the commit after a whole pass started the WAL over"
        );

        let bulk = 3 * LONG_WAL_FRAMES;
        let cut = wal(
            bulk,
            Some(Pass {
                log: bulk,
                copied: bulk,
            }),
        );
        cut.started_over();
        cut.frames.store(bulk + 10, Ordering::Relaxed);
        assert!(
            !cut.only_its_tail_is_left(),
            "a second bulk write after the cut back is the background's to copy"
        );
    }

    /// Writes that never pause leave the background checkpoint a group behind, and SQLite
    /// starts the WAL over only once every frame was copied: the writer finishes the copy,
    /// so the WAL stays near its bound instead of holding everything written.
    #[tokio::test]
    async fn under_steady_writes_the_wal_starts_over_instead_of_growing() {
        let (_dir, path, writer) =
            writer_over("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)", 64);
        // Every write is queued at once, so the groups follow each other without a pause.
        let writes: Vec<_> = (0..3000)
            .map(|_| {
                writer.run(|c| {
                    c.execute("INSERT INTO t (b) VALUES (zeroblob(4000))", [])?;
                    Ok(())
                })
            })
            .collect();
        for write in writes {
            write.await.unwrap();
        }
        let written = 3000 * 4096;
        let wal = std::fs::metadata(path.with_extension("db-wal"))
            .unwrap()
            .len();
        assert!(
            wal < written / 3,
            "the WAL holds {wal} bytes of the {written} written"
        );
    }
}
