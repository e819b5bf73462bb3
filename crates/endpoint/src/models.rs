//! Model names as clients write them: `auto` routes with the saved rules, `switchyard/<rule>`
//! forces a rule, a catalog model id pins that model. The routing is kept compiled in memory
//! and read again from the database every few seconds, so a rule saved in the app applies.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use switchyard_engine::send::{Engine, Routing};
use switchyard_engine::EngineError;

/// How long saved rules are trusted before they are read again.
const ROUTING_FRESH_FOR: Duration = Duration::from_secs(2);

/// The routing a request uses and the model the engine is asked for.
pub struct Resolved {
    pub routing: Routing,
    /// `auto` or a catalog model id.
    pub model: String,
}

struct Snapshot {
    routing: Routing,
    /// Each enabled rule alone, for `switchyard/<rule>`.
    by_rule: HashMap<String, Routing>,
    at: Instant,
}

impl Snapshot {
    fn of(routing: Routing) -> Self {
        let by_rule = routing
            .rules
            .rule_set()
            .rules
            .iter()
            .filter(|r| r.enabled)
            .filter_map(|r| Some((r.name.clone(), routing.only_rule(&r.name)?)))
            .collect();
        Self {
            routing,
            by_rule,
            at: Instant::now(),
        }
    }
}

pub struct Models {
    engine: Engine,
    /// Rules from a file (`switchyard serve --rules`): never read again.
    fixed: bool,
    current: RwLock<Arc<Snapshot>>,
    reloading: tokio::sync::Mutex<()>,
}

impl Models {
    pub async fn new(engine: Engine, fixed: Option<Routing>) -> Result<Self, EngineError> {
        let is_fixed = fixed.is_some();
        let routing = match fixed {
            Some(r) => r,
            None => engine.routing().await?,
        };
        Ok(Self {
            engine,
            fixed: is_fixed,
            current: RwLock::new(Arc::new(Snapshot::of(routing))),
            reloading: tokio::sync::Mutex::new(()),
        })
    }

    async fn snapshot(&self) -> Arc<Snapshot> {
        let snap = self.current.read().expect("routing").clone();
        if self.fixed || snap.at.elapsed() < ROUTING_FRESH_FOR {
            return snap;
        }
        // One reader reloads; the others use the copy they have meanwhile.
        let Ok(_one) = self.reloading.try_lock() else {
            return snap;
        };
        match self.engine.routing().await {
            Ok(routing) => {
                let fresh = Arc::new(Snapshot::of(routing));
                *self.current.write().expect("routing") = fresh.clone();
                fresh
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the saved rules; using the last ones");
                snap
            }
        }
    }

    /// What `name` asks for, or None for a name that is none of the three kinds.
    pub async fn resolve(&self, name: &str) -> Option<Resolved> {
        let snap = self.snapshot().await;
        if name.eq_ignore_ascii_case("auto") {
            return Some(Resolved {
                routing: snap.routing.clone(),
                model: "auto".into(),
            });
        }
        if let Some(rule) = name.strip_prefix("switchyard/") {
            return snap.by_rule.get(rule).map(|routing| Resolved {
                routing: routing.clone(),
                model: "auto".into(),
            });
        }
        let model = snap.routing.catalog.find(name).filter(|m| m.enabled)?;
        Some(Resolved {
            model: model.id.clone(),
            routing: snap.routing.clone(),
        })
    }

    /// Every name a client may use, with who serves it: `auto`, each enabled rule, and each
    /// catalog model that can be called now.
    pub async fn list(&self) -> Result<Vec<(String, String)>, EngineError> {
        let snap = self.snapshot().await;
        let mut out = vec![("auto".to_string(), "switchyard".to_string())];
        for rule in snap
            .routing
            .rules
            .rule_set()
            .rules
            .iter()
            .filter(|r| r.enabled)
        {
            out.push((format!("switchyard/{}", rule.name), "switchyard".into()));
        }
        let catalog = &snap.routing.catalog;
        for available in self.engine.availability(catalog).await? {
            if !available.available {
                continue;
            }
            if let Some(m) = catalog.get(&available.model).filter(|m| m.enabled) {
                out.push((m.id.clone(), m.provider.clone()));
            }
        }
        Ok(out)
    }
}
