//! The binary as scripts use it: first stdout line names the port; keys come from --key.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_its_address_then_serves_with_the_given_keys() {
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_switchyard-fake-provider"))
            .args(["--port", "0", "--key", "k1", "--key", "k2"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("first line names the address")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    let client = reqwest::Client::new();
    for key in ["k1", "k2"] {
        let r = client
            .get(format!("{url}/openai/v1/models"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = client
        .get(format!("{url}/openai/v1/models"))
        .bearer_auth("k3")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
