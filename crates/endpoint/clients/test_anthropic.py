"""The official `anthropic` Python client against `switchyard serve` on the fake provider."""
import anthropic

from common import (FAKE_SIGNATURE_PREFIX, PNG, PNG_BYTES, TOKEN, URL, expect_error, fault,
                    last_request, run, set_budget)

client = anthropic.Anthropic(base_url=URL, api_key=TOKEN, max_retries=0)


def ask(text):
    return [{"role": "user", "content": text}]


def auto_not_streaming_answered_by_openai():
    raw = client.messages.with_raw_response.create(
        model="auto", max_tokens=200, system="Be brief.", messages=ask("Say hello to the yard"))
    assert raw.headers["x-switchyard-model"] == "gpt-4o-mini", raw.headers
    assert raw.headers["x-switchyard-provider"] == "Local", raw.headers
    m = raw.parse()
    assert m.model == "gpt-4o-mini"
    assert m.content[0].text == "Echo: Say hello to the yard", m
    assert m.stop_reason == "end_turn"
    assert m.usage.output_tokens > 0


def pinned_streaming():
    with client.messages.stream(model="claude-haiku", max_tokens=200,
                                messages=ask("Name a station")) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "Echo: Name a station", text
    assert final.model == "claude-haiku"
    assert final.usage.output_tokens > 0


def auto_streaming_raw_events():
    events = [e.type for e in client.messages.create(
        model="auto", max_tokens=200, messages=ask("Count"), stream=True)]
    assert events[0] == "message_start" and events[-1] == "message_stop", events
    assert "content_block_delta" in events


def models_listed():
    ids = {m.id for m in client.models.list()}
    assert {"auto", "switchyard/everything", "claude-haiku"} <= ids, ids


def fallback_after_a_503():
    fault({"model": "gpt-4o-mini", "status": 503})
    try:
        raw = client.messages.with_raw_response.create(
            model="auto", max_tokens=200, messages=ask("Say hello again"))
    finally:
        fault(None)
    assert raw.headers["x-switchyard-fallback"] == "true", raw.headers
    assert raw.parse().model == "claude-haiku"


def bad_token():
    bad = anthropic.Anthropic(base_url=URL, api_key="sy-not-a-token", max_retries=0)
    expect_error(anthropic.AuthenticationError, 401, lambda: bad.messages.create(
        model="auto", max_tokens=10, messages=ask("hi")))


def malformed_body():
    e = expect_error(anthropic.BadRequestError, 400, lambda: client.post(
        "/v1/messages", cast_to=object, content=b'{"model": "auto", "messages": [',
        options={"headers": {"Content-Type": "application/json"}}))
    assert "not valid JSON" in e.message, e.message


def oversized_body():
    expect_error(anthropic.ContentTooLargeError, 413, lambda: client.messages.create(
        model="auto", max_tokens=10, messages=ask("x" * (100 * 1024))))


def unknown_model():
    expect_error(anthropic.NotFoundError, 404, lambda: client.messages.create(
        model="claude-17", max_tokens=10, messages=ask("hi")))


def budget_block():
    set_budget(0.000001)
    e = expect_error(anthropic.RateLimitError, 429, lambda: client.messages.create(
        model="auto", max_tokens=10, messages=ask("One more")))
    assert "daily" in e.message.lower(), e.message


WEATHER = {"name": "get_weather", "description": "The weather in a city",
           "input_schema": {"type": "object", "properties": {"query": {"type": "string"}},
                            "required": ["query"]}}
CLOCK = {"name": "clock", "input_schema": {"type": "object", "properties": {}}}


def tool_round_trip(model, stream):
    """The client offers tools, gets a `tool_use` block in its own types, sends the
    `tool_result` and gets the final text; `model` picks the upstream format (claude-haiku:
    Anthropic, gpt-4o-mini: OpenAI)."""
    messages = ask("Weather in Oslo")
    if stream:
        with client.messages.stream(model=model, max_tokens=200, messages=messages,
                                    tools=[WEATHER, CLOCK]) as s:
            kinds = [e.type for e in s]
            first = s.get_final_message()
        assert "input_json" in kinds and "content_block_stop" in kinds, kinds
    else:
        raw = client.messages.with_raw_response.create(
            model=model, max_tokens=200, messages=messages, tools=[WEATHER, CLOCK],
            tool_choice={"type": "auto"})
        assert raw.headers["x-switchyard-model"] == model, raw.headers
        first = raw.parse()
    assert first.stop_reason == "tool_use", first
    uses = [b for b in first.content if b.type == "tool_use"]
    assert len(uses) == 1, first.content
    use = uses[0]
    assert isinstance(use, anthropic.types.ToolUseBlock), type(use)
    assert use.name == "get_weather" and use.id, use
    assert use.input == {"query": "Weather in Oslo"}, use.input
    messages.append({"role": "assistant", "content": first.content})
    messages.append({"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": use.id, "content": "4C and snowing"}]})
    final = client.messages.create(model=model, max_tokens=200, messages=messages,
                                   tools=[WEATHER, CLOCK])
    assert final.stop_reason == "end_turn", final
    assert [b.type for b in final.content] == ["text"], final.content
    assert final.content[0].text == "Tool result: 4C and snowing", final.content


def tools_answered_by_claude():
    tool_round_trip("claude-haiku", stream=False)
    tool_round_trip("claude-haiku", stream=True)


def tools_answered_by_openai():
    tool_round_trip("gpt-4o-mini", stream=False)
    tool_round_trip("gpt-4o-mini", stream=True)


def a_server_tool_is_refused():
    e = expect_error(anthropic.BadRequestError, 400, lambda: client.messages.create(
        model="auto", max_tokens=50, messages=ask("hi"),
        tools=[{"type": "web_search_20250305", "name": "web_search"}]))
    assert "web_search_20250305" in e.message, e.message


IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}


def an_image_is_read_by_a_model_that_reads_images():
    raw = client.messages.with_raw_response.create(
        model="auto", max_tokens=100,
        messages=[{"role": "user", "content": [IMAGE, {"type": "text", "text": "What is this?"}]}])
    assert raw.headers["x-switchyard-model"] == "gpt-4o-mini", raw.headers
    assert raw.parse().content[0].text == "Echo: What is this?"
    sent = last_request()
    assert sent["format"] == "openai", sent["format"]
    got = [(i["media_type"], i["data"], i["bytes"]) for i in sent["images"]]
    assert got == [("image/png", PNG, PNG_BYTES)], got


def a_remote_image_url_is_refused():
    e = expect_error(anthropic.BadRequestError, 400, lambda: client.messages.create(
        model="auto", max_tokens=50, messages=[{"role": "user", "content": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
            {"type": "text", "text": "What is this?"}]}]))
    assert "base64" in e.message, e.message


def gemini_round_trip(stream):
    """Gemini's call, as a `tool_use` block (streamed or whole), goes back to Gemini with its
    thought signature (carried in the block's id); the `tool_result` brings an image too."""
    messages = ask("Chart the sales")
    tools = [{"name": "chart", "input_schema": {"type": "object",
                                                 "properties": {"query": {"type": "string"}}}}]
    if stream:
        with client.messages.stream(model="gemini-flash", max_tokens=200, messages=messages,
                                    tools=tools) as s:
            first = s.get_final_message()
    else:
        first = client.messages.create(model="gemini-flash", max_tokens=200, messages=messages,
                                       tools=tools)
    use = [b for b in first.content if b.type == "tool_use"][0]
    messages.append({"role": "assistant", "content": first.content})
    messages.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id,
                                                  "content": [{"type": "text", "text": "the chart"},
                                                              IMAGE]}]})
    final = client.messages.create(model="gemini-flash", max_tokens=200, messages=messages,
                                   tools=tools)
    assert final.content[0].text == 'Tool result: {"result":"the chart"}', final.content
    sent = last_request()
    signature = sent["body"]["contents"][1]["parts"][0]["thoughtSignature"]
    assert signature.startswith(FAKE_SIGNATURE_PREFIX), signature
    assert [(i["data"], i["in_tool_result"]) for i in sent["images"]] == [(PNG, True)]


def a_gemini_tool_round_trip_with_an_image_result():
    gemini_round_trip(stream=False)
    gemini_round_trip(stream=True)


run([an_image_is_read_by_a_model_that_reads_images, a_remote_image_url_is_refused,
     a_gemini_tool_round_trip_with_an_image_result, tools_answered_by_claude, tools_answered_by_openai, a_server_tool_is_refused,
     auto_not_streaming_answered_by_openai, pinned_streaming, auto_streaming_raw_events,
     models_listed, fallback_after_a_503, bad_token, malformed_body, oversized_body,
     unknown_model, budget_block])
