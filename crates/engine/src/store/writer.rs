//! The process's one writer of provider calls: admissions (budget check + in-flight row) and
//! settlements (ledger row) from every request in this process are written on one connection,
//! and all that are waiting when it is free go in one `BEGIN IMMEDIATE` transaction (group
//! commit). Each job inside the batch runs in order and sees the ones before it, and the
//! transaction holds the database's write lock, so budgets stay exact across any number of
//! processes while a busy endpoint pays one commit per batch instead of two per request. A
//! caller hears back only once its batch is committed: an admitted call is on disk before it
//! is sent. The endpoint's settlements are posted instead ([`Writer::post`]): its client does
//! not wait for the ledger row, which the writer thread writes moments later, still ahead of
//! any job queued after it.
//!
//! Who writes: the caller itself, on its own thread, when the connection is free (a
//! transaction of a few rows takes tens of microseconds; handing it to another thread and
//! waking the caller again cost more than that). A caller that finds the connection taken
//! leaves its job in the queue, and the holder writes it before letting go (flat combining),
//! so under load one thread writes whole batches. Callers never wait for the database: the
//! connection does not wait on a lock held by another process (the app, a CLI); a batch that
//! finds the database busy goes to the writer thread, which waits for it on a second
//! connection. That thread also copies the write-ahead log into the database file when calls
//! were written (a checkpoint flushes to disk, which no caller should wait for), while callers
//! go on writing; and once the log is long, the pages written meanwhile too, with the callers
//! held back a moment, so the log starts again from its beginning instead of growing for as
//! long as writes keep coming.
//!
//! The connections are synchronous ones (rusqlite, on the same SQLite library sqlx links): the
//! statements of a batch run one after another on one thread, where an async connection would
//! hand each statement to its own worker thread and back.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, TryLockError, Weak};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use super::budgets::Budget;
use super::calls::{Admission, NewCall};
use super::ledger::LedgerRow;
use crate::error::EngineError;

/// Whether an over-limit budget still lets the call through (a downgrade budget's own model).
pub type Allow = Box<dyn Fn(&Budget) -> bool + Send>;

/// At most this many jobs share one transaction, so other processes never wait long for the
/// write lock.
const MAX_BATCH: usize = 128;

/// How many batches a caller holding the connection writes before it hands the rest of the
/// queue to the writer thread.
const COMBINE_BATCHES: usize = 2;

/// How often the writer thread looks whether the write-ahead log needs copying.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// The log file is cut back to this size when it starts again (it keeps its largest size
/// otherwise).
const LOG_SIZE_LIMIT: i64 = 64 << 20;

/// From this many pages (of 4 KiB) the log is made to start again (see `checkpoint`).
const RESTART_LOG_PAGES: i64 = 4_096;

/// Pages left to copy that are few enough to copy with the callers held back.
const CATCH_UP_PAGES: i64 = 512;

pub(super) enum Job {
    Admit {
        call: Box<NewCall>,
        allow: Allow,
        reply: oneshot::Sender<Result<Admission, EngineError>>,
    },
    Settle {
        id: i64,
        row: Box<LedgerRow>,
        /// None when nobody waits ([`Writer::post`]): a failure is logged instead.
        reply: Option<oneshot::Sender<Result<(), EngineError>>>,
    },
    /// Ledger rows written as they are (one request's calls, imported or seeded rows).
    Record {
        rows: Vec<LedgerRow>,
        reply: oneshot::Sender<Result<(), EngineError>>,
    },
    /// Settles, as interrupted, the calls of these ids still in flight (left by processes
    /// that are gone); answers how many it settled.
    Abandoned {
        ids: Vec<i64>,
        reply: oneshot::Sender<Result<u64, EngineError>>,
    },
}

/// What the writer thread is sent.
enum Slow {
    /// A batch that found the database busy, or failed as a whole.
    Batch(Vec<Job>),
    /// A caller wrote its share and left jobs in the queue: write them.
    Drain,
    Close(oneshot::Sender<()>),
}

/// The connection callers write on.
enum Inline {
    Open(Connection),
    /// Why nothing can be written (never connected, or closed).
    Shut(&'static str),
}

/// The handle every clone of a [`super::Store`] shares.
pub(super) struct Writer {
    shared: Option<Arc<Shared>>,
}

struct Shared {
    /// Jobs waiting for whoever holds `inline` next.
    queue: Mutex<Vec<Job>>,
    inline: Mutex<Inline>,
    slow: Mutex<Option<mpsc::Sender<Slow>>>,
    /// Calls were written on `inline` since the last checkpoint.
    written: AtomicBool,
}

impl Writer {
    /// Opens the callers' connection and starts the writer thread with its own, both to the
    /// database at `path` (already created and migrated).
    pub fn start(path: PathBuf) -> Arc<Self> {
        let inline = match connect(&path, Duration::ZERO) {
            Ok(c) => Inline::Open(c),
            Err(e) => {
                tracing::error!(error = %e, "the database writer could not connect");
                Inline::Shut("the database writer could not connect")
            }
        };
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            queue: Mutex::new(Vec::new()),
            inline: Mutex::new(inline),
            slow: Mutex::new(Some(tx)),
            written: AtomicBool::new(false),
        });
        // Weak: the thread ends when the last handle goes (its channel closes with it).
        let weak = Arc::downgrade(&shared);
        thread::Builder::new()
            .name("switchyard-writer".into())
            .spawn(move || run(&path, &rx, &weak))
            .expect("the writer thread starts");
        Arc::new(Self {
            shared: Some(shared),
        })
    }

    /// A writer that refuses every job (a read-only store).
    pub fn none() -> Arc<Self> {
        Arc::new(Self { shared: None })
    }

    /// Writes `job` now when the connection is free, else leaves it to the thread holding it;
    /// the job's reply says when it is committed.
    pub fn send(&self, job: Job) -> Result<(), EngineError> {
        let Some(shared) = &self.shared else {
            return Err(closed());
        };
        lock(&shared.queue).push(job);
        shared.combine();
        Ok(())
    }

    /// Queues `job` for the writer thread and returns at once: for a write nobody waits on
    /// (a settlement the endpoint's client must not wait for). It is still written before any
    /// job sent after it, in this process, so a later admission sees it.
    pub fn post(&self, job: Job) -> Result<(), EngineError> {
        let Some(shared) = &self.shared else {
            return Err(closed());
        };
        lock(&shared.queue).push(job);
        match lock(&shared.slow).as_ref() {
            Some(tx) if tx.send(Slow::Drain).is_ok() => Ok(()),
            // The writer thread is gone: write it here rather than lose it.
            _ => {
                shared.combine();
                Ok(())
            }
        }
    }

    /// Writes every job queued so far before returning (posted ones included).
    pub fn flush(&self) {
        if let Some(shared) = &self.shared {
            shared.drain(&mut lock(&shared.inline), usize::MAX);
        }
    }

    /// Finishes the jobs already sent, then closes both connections.
    pub async fn close(&self) {
        let Some(shared) = &self.shared else { return };
        {
            let mut inline = lock(&shared.inline);
            shared.drain(&mut inline, usize::MAX);
            *inline = Inline::Shut("the database was closed");
        }
        let tx = lock(&shared.slow).take();
        if let Some(tx) = tx {
            let (done, wait) = oneshot::channel();
            if tx.send(Slow::Close(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

impl Shared {
    /// Writes the queue's jobs while this thread can hold the connection. A job left by a
    /// caller that found it taken is written by the holder: the holder looks at the queue
    /// again after letting go, and the caller had queued its job before trying. A holder
    /// writes at most [`COMBINE_BATCHES`] batches (its caller is waiting for its answer) and
    /// hands what is left to the writer thread.
    fn combine(&self) {
        loop {
            let mut inline = match self.inline.try_lock() {
                Ok(guard) => guard,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => return,
            };
            let emptied = self.drain(&mut inline, COMBINE_BATCHES);
            drop(inline);
            if !emptied {
                if let Some(tx) = lock(&self.slow).as_ref() {
                    let _ = tx.send(Slow::Drain);
                }
                return;
            }
            if lock(&self.queue).is_empty() {
                return;
            }
        }
    }

    /// Writes up to `batches` batches from the queue; true when it emptied the queue.
    fn drain(&self, inline: &mut Inline, batches: usize) -> bool {
        for _ in 0..batches {
            let batch: Vec<Job> = {
                let mut queue = lock(&self.queue);
                let n = queue.len().min(MAX_BATCH);
                queue.drain(..n).collect()
            };
            if batch.is_empty() {
                return true;
            }
            match inline {
                Inline::Open(conn) => self.write_inline(conn, batch),
                Inline::Shut(why) => refuse(batch, why),
            }
        }
        lock(&self.queue).is_empty()
    }

    fn write_inline(&self, conn: &mut Connection, batch: Vec<Job>) {
        match in_one_transaction(conn, &batch) {
            Ok(results) => {
                self.written.store(true, Ordering::Release);
                for (job, result) in batch.into_iter().zip(results) {
                    answer(job, result);
                }
            }
            // Busy (another process is writing) or a bad row: the writer thread waits for
            // the lock and writes the jobs one by one if the batch fails again.
            Err(_) => {
                let slow = lock(&self.slow);
                let refused = match slow.as_ref() {
                    Some(tx) => tx.send(Slow::Batch(batch)).err().map(|e| e.0),
                    None => Some(Slow::Batch(batch)),
                };
                if let Some(Slow::Batch(batch)) = refused {
                    refuse(batch, "the database writer stopped");
                }
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn closed() -> EngineError {
    EngineError::Database("the database is closed for writing".into())
}

/// A writer connection, set up as the pool's are (`Store::open`), waiting up to `busy` for a
/// lock another connection holds. Neither copies the log into the database after a commit:
/// the writer thread does that (`checkpoint`).
fn connect(path: &Path, busy: Duration) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(busy)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", LOG_SIZE_LIMIT)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// The writer thread: batches that found the database busy, settlements posted to it, and
/// checkpoints.
fn run(path: &Path, rx: &mpsc::Receiver<Slow>, shared: &Weak<Shared>) {
    yield_on_wakeup();
    let mut conn = match connect(path, Duration::from_secs(5)) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::error!(error = %e, "the database writer could not connect");
            None
        }
    };
    // Checkpoints keep their pace however many messages come.
    let mut due = Instant::now() + CHECKPOINT_EVERY;
    loop {
        match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
            Ok(Slow::Batch(batch)) => match conn.as_mut() {
                Some(c) => {
                    write(c, batch);
                    if let Some(shared) = shared.upgrade() {
                        shared.written.store(true, Ordering::Release);
                    }
                }
                None => refuse(batch, "the database writer could not connect"),
            },
            Ok(Slow::Drain) => {
                if let Some(shared) = shared.upgrade() {
                    shared.combine();
                }
            }
            Ok(Slow::Close(done)) => {
                if let Some(c) = conn.take() {
                    let _ = passive_checkpoint(&c);
                    let _ = c.close();
                }
                // The sender went with the close: what is left was sent before it.
                while let Ok(slow) = rx.try_recv() {
                    if let Slow::Batch(batch) = slow {
                        refuse(batch, "the database was closed");
                    }
                }
                let _ = done.send(());
                return;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        if Instant::now() >= due {
            if let (Some(c), Some(shared)) = (&conn, shared.upgrade()) {
                checkpoint(c, &shared);
            }
            due = Instant::now() + CHECKPOINT_EVERY;
        }
    }
}

/// Makes this thread a batch thread (Linux's `SCHED_BATCH`): woken by a posted settlement,
/// it waits for a free core instead of preempting the request that posted it, which still has
/// its answer to send. At 500 requests/s a post took 19 µs at p50 and 120 µs at p90 (the
/// woken writer ran its transaction first); 5 and 22 µs from a batch thread.
fn yield_on_wakeup() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: pid 0 names the calling thread; `param` is a valid sched_param for the call.
        let set = unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) };
        if set != 0 {
            tracing::debug!(error = %std::io::Error::last_os_error(), "SCHED_BATCH");
        }
    }
}

/// Copies what the log holds into the database file when calls were written since the last
/// time, while the callers go on writing. A log only starts again from its beginning when a
/// write finds it all copied, which never happens while writes keep coming (each copy ends
/// behind the latest write): once the log holds [`RESTART_LOG_PAGES`], the pages written during
/// the copy are copied too with this process's callers held back (a moment: little is left), so
/// the next write starts it again.
fn checkpoint(conn: &Connection, shared: &Shared) {
    if !shared.written.swap(false, Ordering::AcqRel) {
        return;
    }
    let mut pages = match passive_checkpoint(conn) {
        Ok(pages) if pages < RESTART_LOG_PAGES => return,
        Ok(pages) => pages,
        Err(e) => {
            tracing::debug!(error = %e, "checkpoint");
            return;
        }
    };
    // Catch up first without holding anyone back, so that little is left for the held step.
    for _ in 0..3 {
        match passive_checkpoint(conn) {
            Ok(now) if now - pages > CATCH_UP_PAGES => pages = now,
            Ok(_) => break,
            Err(e) => {
                tracing::debug!(error = %e, "checkpoint");
                return;
            }
        }
    }
    let mut inline = lock(&shared.inline);
    if let Err(e) = passive_checkpoint(conn) {
        tracing::debug!(error = %e, "checkpoint");
    }
    // Holding the connection, this thread writes what callers queued meanwhile.
    shared.drain(&mut inline, COMBINE_BATCHES);
    drop(inline);
    shared.combine();
}

/// One passive checkpoint (it never waits for readers or writers): how many pages the log held
/// when it began.
fn passive_checkpoint(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
}

fn refuse(batch: Vec<Job>, why: &str) {
    for job in batch {
        answer(job, Outcome::Failed(EngineError::Database(why.to_string())));
    }
}

/// Writes a batch in one transaction and answers each job once it is committed. When the
/// transaction fails as a whole, each job is tried again on its own, so one bad row does not
/// fail the others.
fn write(conn: &mut Connection, batch: Vec<Job>) {
    if batch.len() > 1 {
        match in_one_transaction(conn, &batch) {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    answer(job, result);
                }
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = batch.len(), "a batch of calls failed; writing them one by one")
            }
        }
    }
    for job in batch {
        let result = in_one_transaction(conn, std::slice::from_ref(&job));
        match result {
            Ok(mut r) => answer(job, r.pop().expect("one result")),
            Err(e) => answer(job, Outcome::Failed(e)),
        }
    }
}

enum Outcome {
    Admitted(Admission),
    Written,
    Abandoned(u64),
    Failed(EngineError),
}

fn answer(job: Job, outcome: Outcome) {
    match (job, outcome) {
        (Job::Admit { reply, .. }, Outcome::Admitted(a)) => drop(reply.send(Ok(a))),
        (Job::Admit { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        (Job::Settle { reply, .. }, Outcome::Written) => {
            if let Some(reply) = reply {
                drop(reply.send(Ok(())));
            }
        }
        (Job::Settle { id, reply, .. }, Outcome::Failed(e)) => match reply {
            Some(reply) => drop(reply.send(Err(e))),
            // The call stays in flight and is settled as estimated on a later start.
            None => tracing::warn!(error = %e, call = id, "could not settle a provider call"),
        },
        (Job::Record { reply, .. }, Outcome::Written) => drop(reply.send(Ok(()))),
        (Job::Record { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        (Job::Abandoned { reply, .. }, Outcome::Abandoned(n)) => drop(reply.send(Ok(n))),
        (Job::Abandoned { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        _ => unreachable!("each job gets the outcome of its own kind"),
    }
}

fn in_one_transaction(conn: &mut Connection, batch: &[Job]) -> Result<Vec<Outcome>, EngineError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut budgets: Option<super::calls::BudgetView> = None;
    let mut out = Vec::with_capacity(batch.len());
    for job in batch {
        out.push(match job {
            Job::Admit { call, allow, .. } => {
                let view = match budgets.take() {
                    Some(v) => v,
                    None => super::calls::BudgetView::read(&tx)?,
                };
                let admitted = super::calls::admit_on(&tx, &view, call, allow)?;
                budgets = Some(view);
                Outcome::Admitted(admitted)
            }
            Job::Settle { id, row, .. } => {
                super::calls::settle_on(&tx, *id, row)?;
                Outcome::Written
            }
            Job::Record { rows, .. } => {
                for row in rows {
                    super::ledger::insert(&tx, row)?;
                }
                Outcome::Written
            }
            Job::Abandoned { ids, .. } => Outcome::Abandoned(super::calls::abandon_on(&tx, ids)?),
        });
    }
    tx.commit()?;
    Ok(out)
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}
