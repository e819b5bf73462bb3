//! Looking for local servers: the fake provider stands in for Ollama on a port of its own.
use switchyard_engine::local_servers::{detect, LocalServer, Ports};
use switchyard_fake_provider::FakeProvider;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A port nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A server that answers every request with a web page, as an unrelated service on the port would.
async fn web_page_server() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = tcp.read(&mut buf).await;
            let body = "<html>not a model server</html>";
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tcp.write_all(reply.as_bytes()).await;
        }
    });
    port
}

#[tokio::test]
async fn a_server_answering_on_the_ollama_port_is_offered_with_its_models() {
    let fake = FakeProvider::start(&[]).await.unwrap();
    let ports = Ports {
        ollama: fake.addr().port(),
        lmstudio: closed_port().await,
    };
    let found = detect(ports).await;
    let listed = switchyard_fake_provider::listed_models()
        .iter()
        .filter(|(format, _)| *format == "openai")
        .count() as u32;
    assert_eq!(
        found,
        vec![LocalServer {
            preset: "ollama".into(),
            label: "Ollama".into(),
            base_url: format!("http://127.0.0.1:{}/v1", fake.addr().port()),
            model_count: listed,
        }]
    );
    assert!(
        fake.requests().iter().any(|r| r.path.ends_with("/models")),
        "the model list was asked for"
    );
}

#[tokio::test]
async fn both_servers_are_offered_ollama_first() {
    let ollama = FakeProvider::start(&[]).await.unwrap();
    let lmstudio = FakeProvider::start(&[]).await.unwrap();
    let found = detect(Ports {
        ollama: ollama.addr().port(),
        lmstudio: lmstudio.addr().port(),
    })
    .await;
    let presets: Vec<_> = found.iter().map(|s| s.preset.as_str()).collect();
    assert_eq!(presets, ["ollama", "lmstudio"]);
    assert_eq!(found[1].label, "LM Studio");
}

#[tokio::test]
async fn nothing_is_offered_when_no_server_or_another_kind_of_server_answers() {
    let found = detect(Ports {
        ollama: closed_port().await,
        lmstudio: web_page_server().await,
    })
    .await;
    assert_eq!(found, vec![]);
}

#[tokio::test]
async fn a_server_refusing_its_model_list_is_not_offered() {
    // Keys required and none sent: the list is refused with 401.
    let fake = FakeProvider::start(&["sk-needed"]).await.unwrap();
    let found = detect(Ports {
        ollama: fake.addr().port(),
        lmstudio: closed_port().await,
    })
    .await;
    assert_eq!(found, vec![]);
}
