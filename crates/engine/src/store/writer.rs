//! The process's one writer of provider calls: admissions (budget check + in-flight row) and
//! settlements (ledger row) from every request in this process go through one connection on
//! its own thread, and all that are waiting when it is free are written in one `BEGIN
//! IMMEDIATE` transaction (group commit). Each job inside the batch runs in order and sees the
//! ones before it, and the transaction holds the database's write lock, so budgets stay exact
//! across any number of processes while a busy endpoint pays one commit per batch instead of
//! two per request. A caller hears back only once its batch is committed: an admitted call is
//! on disk before it is sent.
//!
//! The connection is a synchronous one (rusqlite, on the same SQLite library sqlx links): the
//! statements of a batch run on this thread one after another, where an async connection would
//! hand each statement to its own worker thread and back.
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

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

pub(super) enum Job {
    Admit {
        call: Box<NewCall>,
        allow: Allow,
        reply: oneshot::Sender<Result<Admission, EngineError>>,
    },
    Settle {
        id: i64,
        row: Box<LedgerRow>,
        reply: oneshot::Sender<Result<(), EngineError>>,
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
    Close(oneshot::Sender<()>),
}

/// The handle every clone of a [`super::Store`] shares.
pub(super) struct Writer {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

impl Writer {
    /// Starts the writer thread with its own connection to the database at `path` (already
    /// created and migrated).
    pub fn start(path: PathBuf) -> Arc<Self> {
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("switchyard-writer".into())
            .spawn(move || run(&path, &rx))
            .expect("the writer thread starts");
        Arc::new(Self {
            jobs: Mutex::new(Some(tx)),
        })
    }

    /// A writer that refuses every job (a read-only store).
    pub fn none() -> Arc<Self> {
        Arc::new(Self {
            jobs: Mutex::new(None),
        })
    }

    pub fn send(&self, job: Job) -> Result<(), EngineError> {
        let jobs = self.jobs.lock().expect("writer");
        match jobs.as_ref() {
            Some(tx) => tx.send(job).map_err(|_| closed()),
            None => Err(closed()),
        }
    }

    /// Finishes the jobs already sent, then closes the writer's connection.
    pub async fn close(&self) {
        let tx = self.jobs.lock().expect("writer").take();
        if let Some(tx) = tx {
            let (done, wait) = oneshot::channel();
            if tx.send(Job::Close(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

fn closed() -> EngineError {
    EngineError::Database("the database is closed for writing".into())
}

/// The writer's connection, set up as the pool's are (`Store::open`).
fn connect(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

fn run(path: &Path, rx: &mpsc::Receiver<Job>) {
    let mut conn = match connect(path) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::error!(error = %e, "the database writer could not connect");
            None
        }
    };
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let close = batch.iter().position(|j| matches!(j, Job::Close(_)));
        let rest = close.map(|i| batch.split_off(i));
        match conn.as_mut() {
            Some(c) => write(c, batch),
            None => refuse(batch, "the database writer could not connect"),
        }
        if let Some(rest) = rest {
            let mut rest = rest.into_iter();
            let Some(Job::Close(done)) = rest.next() else {
                unreachable!("the batch was cut at its close")
            };
            refuse(rest.collect(), "the database was closed");
            if let Some(c) = conn.take() {
                let _ = c.close();
            }
            // The sender went with the close: what is left was sent before it.
            while let Ok(job) = rx.try_recv() {
                refuse(vec![job], "the database was closed");
            }
            let _ = done.send(());
            return;
        }
    }
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
        (Job::Settle { reply, .. }, Outcome::Written) => drop(reply.send(Ok(()))),
        (Job::Settle { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        (Job::Record { reply, .. }, Outcome::Written) => drop(reply.send(Ok(()))),
        (Job::Record { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        (Job::Abandoned { reply, .. }, Outcome::Abandoned(n)) => drop(reply.send(Ok(n))),
        (Job::Abandoned { reply, .. }, Outcome::Failed(e)) => drop(reply.send(Err(e))),
        (Job::Close(done), _) => drop(done.send(())),
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
            Job::Close(_) => unreachable!("a close ends the batch before it"),
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
