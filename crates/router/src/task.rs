//! The task vocabulary shared by detection, rules and the eval sets.
use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// What a request asks the model to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Task {
    Reasoning,
    Math,
    /// Also read from `code_debug` and `coding`, other common names for the task (the eval sets
    /// use both).
    Code,
    Writing,
    Analysis,
    Translation,
    Classification,
    Extraction,
    Summarization,
    Formatting,
}

impl Task {
    pub const ALL: [Task; 10] = [
        Task::Reasoning,
        Task::Math,
        Task::Code,
        Task::Writing,
        Task::Analysis,
        Task::Translation,
        Task::Classification,
        Task::Extraction,
        Task::Summarization,
        Task::Formatting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Task::Reasoning => "reasoning",
            Task::Math => "math",
            Task::Code => "code",
            Task::Writing => "writing",
            Task::Analysis => "analysis",
            Task::Translation => "translation",
            Task::Classification => "classification",
            Task::Extraction => "extraction",
            Task::Summarization => "summarization",
            Task::Formatting => "formatting",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// When two tasks score the same, the more specific one wins: a prompt that is equally
    /// "code" and "writing" is better served by a code model than by a writing one.
    pub fn tie_rank(self) -> u8 {
        match self {
            Task::Code => 0,
            Task::Math => 1,
            Task::Translation => 2,
            Task::Extraction => 3,
            Task::Summarization => 4,
            Task::Classification => 5,
            Task::Formatting => 6,
            Task::Reasoning => 7,
            Task::Analysis => 8,
            Task::Writing => 9,
        }
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Task {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "code_debug" | "coding" => return Ok(Task::Code),
            _ => {}
        }
        Task::ALL
            .into_iter()
            .find(|t| t.as_str() == lower)
            .ok_or_else(|| format!("unknown task `{s}`"))
    }
}

impl<'de> Deserialize<'de> for Task {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_and_round_trips() {
        assert_eq!("coding".parse::<Task>().unwrap(), Task::Code);
        assert_eq!("Code_Debug".parse::<Task>().unwrap(), Task::Code);
        for t in Task::ALL {
            assert_eq!(t.as_str().parse::<Task>().unwrap(), t);
            assert_eq!(Task::ALL[t.index()], t);
        }
        assert!("embeddings".parse::<Task>().is_err());
        let parsed: Task = serde_json::from_str("\"code_debug\"").unwrap();
        assert_eq!(parsed, Task::Code);
    }
}
