"""The official `openai` Python client against `switchyard serve` on the fake provider."""
import json

import openai

from common import (FAKE_SIGNATURE_PREFIX, PNG, PNG_BYTES, TOKEN, URL, expect_error, fault,
                    last_request, run, set_budget)

client = openai.OpenAI(base_url=f"{URL}/v1", api_key=TOKEN, max_retries=0)


def ask(text):
    return [{"role": "user", "content": text}]


def auto_not_streaming():
    raw = client.chat.completions.with_raw_response.create(
        model="auto", messages=ask("Say hello to the yard"))
    assert raw.headers["x-switchyard-model"] == "gpt-4o-mini", raw.headers
    assert raw.headers["x-switchyard-rule"] == "everything", raw.headers
    assert float(raw.headers["x-switchyard-cost-usd"]) > 0, raw.headers
    r = raw.parse()
    assert r.model == "gpt-4o-mini", r.model
    assert r.choices[0].message.content == "Echo: Say hello to the yard", r
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.completion_tokens > 0


def pinned_streaming_answered_by_claude():
    stream = client.chat.completions.create(
        model="claude-haiku", messages=ask("Name a station"), stream=True,
        stream_options={"include_usage": True})
    text, usage, models = "", None, set()
    for chunk in stream:
        models.add(chunk.model)
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage:
            usage = chunk.usage
    assert text == "Echo: Name a station", text
    assert models == {"claude-haiku"}, models
    assert usage is not None and usage.total_tokens > 0


def a_forced_rule():
    raw = client.chat.completions.with_raw_response.create(
        model="switchyard/code", messages=ask("Say hi"))
    assert raw.headers["x-switchyard-provider"] == "Claude", raw.headers
    assert raw.parse().choices[0].message.content == "Echo: Say hi"


def models_listed():
    ids = {m.id for m in client.models.list()}
    assert {"auto", "switchyard/code", "switchyard/everything", "gpt-4o-mini",
            "claude-haiku"} <= ids, ids


def fallback_after_a_503():
    fault({"model": "gpt-4o-mini", "status": 503})
    try:
        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=ask("Say hello again"))
    finally:
        fault(None)
    assert raw.headers["x-switchyard-fallback"] == "true", raw.headers
    assert raw.parse().model == "claude-haiku"


def bad_token():
    bad = openai.OpenAI(base_url=f"{URL}/v1", api_key="sy-not-a-token", max_retries=0)
    e = expect_error(openai.AuthenticationError, 401,
                     lambda: bad.chat.completions.create(model="auto", messages=ask("hi")))
    assert "token" in e.message, e.message


def malformed_body():
    e = expect_error(openai.BadRequestError, 400, lambda: client.post(
        "/chat/completions", cast_to=object, content=b'{"model": "auto", "messages": [',
        options={"headers": {"Content-Type": "application/json"}}))
    assert "not valid JSON" in e.message, e.message


def oversized_body():
    e = expect_error(openai.APIStatusError, 413, lambda: client.chat.completions.create(
        model="auto", messages=ask("x" * (100 * 1024))))
    assert "limit" in e.message, e.message


def unknown_model():
    e = expect_error(openai.NotFoundError, 404, lambda: client.chat.completions.create(
        model="gpt-17", messages=ask("hi")))
    assert e.code == "model_not_found", e.code


def budget_block():
    set_budget(0.000001)
    e = expect_error(openai.RateLimitError, 429, lambda: client.chat.completions.create(
        model="auto", messages=ask("One more")))
    assert "daily" in e.message.lower(), e.message


WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                   "required": ["query"]}}}
CLOCK = {"type": "function", "function": {"name": "clock", "parameters": {"type": "object"}}}


def tool_round_trip(model, stream):
    """The client offers tools, gets a call in its own types, runs it, sends the result and
    gets the final text; `model` picks the upstream format (gpt-4o-mini: OpenAI, claude-haiku:
    Anthropic)."""
    messages = ask("Weather in Oslo")
    if stream:
        with client.chat.completions.stream(model=model, messages=messages,
                                            tools=[WEATHER, CLOCK]) as s:
            kinds = [e.type for e in s]
            first = s.get_final_completion()
        assert "tool_calls.function.arguments.done" in kinds, kinds
    else:
        raw = client.chat.completions.with_raw_response.create(
            model=model, messages=messages, tools=[WEATHER, CLOCK], tool_choice="auto")
        assert raw.headers["x-switchyard-model"] == model, raw.headers
        first = raw.parse()
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls", choice
    assert choice.message.content in (None, ""), choice.message
    call = choice.message.tool_calls[0]
    assert isinstance(call, openai.types.chat.ChatCompletionMessageFunctionToolCall), type(call)
    assert call.type == "function" and call.id, call
    assert call.function.name == "get_weather", call
    assert json.loads(call.function.arguments) == {"query": "Weather in Oslo"}, call
    messages.append(choice.message.model_dump(exclude_none=True, exclude={"parsed"}))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "4C and snowing"})
    final = client.chat.completions.create(model=model, messages=messages,
                                           tools=[WEATHER, CLOCK])
    assert final.choices[0].message.content == "Tool result: 4C and snowing", final
    assert final.choices[0].finish_reason == "stop"
    assert not final.choices[0].message.tool_calls


def tools_answered_by_openai():
    tool_round_trip("gpt-4o-mini", stream=False)
    tool_round_trip("gpt-4o-mini", stream=True)


def tools_answered_by_claude():
    tool_round_trip("claude-haiku", stream=False)
    tool_round_trip("claude-haiku", stream=True)


def tools_routed_by_auto():
    r = client.chat.completions.create(model="auto", messages=ask("Weather in Rome"),
                                       tools=[WEATHER],
                                       tool_choice={"type": "function",
                                                    "function": {"name": "get_weather"}})
    assert r.model == "gpt-4o-mini", r.model
    assert r.choices[0].message.tool_calls[0].function.name == "get_weather"


def a_tool_choice_naming_no_tool():
    e = expect_error(openai.BadRequestError, 400, lambda: client.chat.completions.create(
        model="auto", messages=ask("hi"), tools=[WEATHER],
        tool_choice={"type": "function", "function": {"name": "nope"}}))
    assert "'nope'" in e.message, e.message


def image(text):
    return [{"role": "user", "content": [
        {"type": "text", "text": text},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]}]


def an_image_is_read_by_a_model_that_reads_images():
    raw = client.chat.completions.with_raw_response.create(
        model="auto", messages=image("What is this?"))
    assert raw.headers["x-switchyard-model"] == "gpt-4o-mini", raw.headers
    assert raw.parse().choices[0].message.content == "Echo: What is this?"
    sent = last_request()
    got = [(i["media_type"], i["data"], i["bytes"]) for i in sent["images"]]
    assert got == [("image/png", PNG, PNG_BYTES)], got


def an_image_for_a_model_that_reads_none():
    e = expect_error(openai.BadRequestError, 400, lambda: client.chat.completions.create(
        model="claude-haiku", messages=image("What is this?")))
    assert "claude-haiku cannot read images" in e.message, e.message


def a_remote_image_url_is_refused():
    e = expect_error(openai.BadRequestError, 400, lambda: client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]))
    assert "data:image/png;base64" in e.message, e.message
    assert e.param == "messages", e.param


CHART = {"type": "function", "function": {
    "name": "chart", "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}


def a_gemini_tool_round_trip_with_an_image_result():
    """Gemini's call comes back to Gemini with its thought signature (carried in the call's
    id); the result brings an image, which Gemini gets after the function's response."""
    messages = ask("Chart the sales")
    first = client.chat.completions.create(model="gemini-flash", messages=messages, tools=[CHART])
    call = first.choices[0].message.tool_calls[0]
    assert call.function.name == "chart", call
    messages.append(first.choices[0].message.model_dump(exclude_none=True, exclude={"parsed"}))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": [
        {"type": "text", "text": "the chart"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}]})
    final = client.chat.completions.create(model="gemini-flash", messages=messages,
                                           tools=[CHART])
    assert final.choices[0].message.content == 'Tool result: {"result":"the chart"}', final
    sent = last_request()
    signature = sent["body"]["contents"][1]["parts"][0]["thoughtSignature"]
    assert signature.startswith(FAKE_SIGNATURE_PREFIX), signature
    assert [(i["data"], i["in_tool_result"]) for i in sent["images"]] == [(PNG, True)]


run([an_image_is_read_by_a_model_that_reads_images, an_image_for_a_model_that_reads_none,
     a_remote_image_url_is_refused, a_gemini_tool_round_trip_with_an_image_result,
     tools_answered_by_openai, tools_answered_by_claude, tools_routed_by_auto,
     a_tool_choice_naming_no_tool, auto_not_streaming, pinned_streaming_answered_by_claude, a_forced_rule, models_listed,
     fallback_after_a_503, bad_token, malformed_body, oversized_body, unknown_model,
     budget_block])
