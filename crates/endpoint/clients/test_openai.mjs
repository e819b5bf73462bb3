// The official `openai` Node client against `switchyard serve` on the fake provider.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const { SWITCHYARD_URL: URL, SWITCHYARD_TOKEN: TOKEN, FAKE_URL: FAKE } = process.env;
const client = new OpenAI({ baseURL: `${URL}/v1`, apiKey: TOKEN, maxRetries: 0 });
const ask = (text) => [{ role: 'user', content: text }];

async function fault(body) {
  await fetch(`${FAKE}/_control/faults`, body === null
    ? { method: 'DELETE' }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function expectError(Kind, status, call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e instanceof Kind, `${e.constructor.name} is not ${Kind.name}: ${e.message}`);
    assert.equal(e.status, status);
    return e;
  }
  assert.fail(`no ${Kind.name} thrown`);
}

const WEATHER = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'The weather in a city',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
};

// The client offers a tool, gets the call in its own types, sends the result, gets the text;
// `model` picks the upstream format (gpt-4o-mini: OpenAI, claude-haiku: Anthropic).
async function toolRoundTrip(model, stream) {
  const messages = ask('Weather in Oslo');
  let first;
  if (stream) {
    const s = client.chat.completions.stream({ model, messages, tools: [WEATHER] });
    const done = [];
    s.on('tool_calls.function.arguments.done', (e) => done.push(e.name));
    first = await s.finalChatCompletion();
    assert.deepEqual(done, ['get_weather']);
  } else {
    first = await client.chat.completions.create({ model, messages, tools: [WEATHER], tool_choice: 'required' });
  }
  const choice = first.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  const call = choice.message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.ok(call.id);
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { query: 'Weather in Oslo' });
  messages.push({ role: 'assistant', content: choice.message.content ?? null, tool_calls: choice.message.tool_calls });
  messages.push({ role: 'tool', tool_call_id: call.id, content: '4C and snowing' });
  const final = await client.chat.completions.create({ model, messages, tools: [WEATHER] });
  assert.equal(final.choices[0].finish_reason, 'stop');
  assert.equal(final.choices[0].message.content, 'Tool result: 4C and snowing');
}

// A 1×1 PNG, base64, and the bytes it decodes to.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_BYTES = 70;
const imageUrl = { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } };

async function lastRequest() {
  const all = await (await fetch(`${FAKE}/_control/requests`)).json();
  return all.filter((r) => !r.path.endsWith('/models')).at(-1);
}

const cases = {
  async anImageIsReadByAModelThatReadsImages() {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, imageUrl] }] })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4o-mini');
    assert.equal(data.choices[0].message.content, 'Echo: What is this?');
    const sent = await lastRequest();
    assert.deepEqual(sent.images.map((i) => [i.media_type, i.data, i.bytes]), [['image/png', PNG, PNG_BYTES]]);
  },
  async aRemoteImageUrlIsRefused() {
    const e = await expectError(OpenAI.BadRequestError, 400, () => client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
    }));
    assert.match(e.message, /data:image\/png;base64/);
  },
  // Gemini's call goes back to Gemini with its thought signature (carried in the call's id);
  // the result brings an image, which Gemini gets after the function's response.
  async aGeminiToolRoundTripWithAnImageResult() {
    const chart = { type: 'function', function: { name: 'chart', parameters: { type: 'object', properties: { query: { type: 'string' } } } } };
    const messages = ask('Chart the sales');
    const first = await client.chat.completions.create({ model: 'gemini-flash', messages, tools: [chart] });
    const call = first.choices[0].message.tool_calls[0];
    assert.equal(call.function.name, 'chart');
    messages.push({ role: 'assistant', content: null, tool_calls: first.choices[0].message.tool_calls });
    messages.push({ role: 'tool', tool_call_id: call.id, content: [{ type: 'text', text: 'the chart' }, imageUrl] });
    const final = await client.chat.completions.create({ model: 'gemini-flash', messages, tools: [chart] });
    assert.equal(final.choices[0].message.content, 'Tool result: {"result":"the chart"}');
    const sent = await lastRequest();
    assert.match(sent.body.contents[1].parts[0].thoughtSignature, /^ZmFrZS10aG91Z2h0O/);
    assert.deepEqual(sent.images.map((i) => [i.data, i.in_tool_result]), [[PNG, true]]);
  },
  async toolsAnsweredByOpenai() {
    await toolRoundTrip('gpt-4o-mini', false);
    await toolRoundTrip('gpt-4o-mini', true);
  },
  async toolsAnsweredByClaude() {
    await toolRoundTrip('claude-haiku', false);
    await toolRoundTrip('claude-haiku', true);
  },
  // The client's own tool loop: it calls the function and sends the result back by itself.
  async runToolsLoop() {
    const runner = client.chat.completions.runTools({
      model: 'claude-haiku',
      messages: ask('Weather in Lima'),
      tools: [{
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: WEATHER.function.parameters,
          parse: JSON.parse,
          function: ({ query }) => `sunny (${query})`,
        },
      }],
    });
    assert.equal(await runner.finalContent(), 'Tool result: sunny (Weather in Lima)');
  },
  async autoNotStreaming() {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: ask('Say hello to the yard') })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'gpt-4o-mini');
    assert.equal(response.headers.get('x-switchyard-rule'), 'everything');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.equal(data.choices[0].message.content, 'Echo: Say hello to the yard');
    assert.ok(data.usage.completion_tokens > 0);
  },
  async pinnedStreamingAnsweredByClaude() {
    const stream = await client.chat.completions.create({
      model: 'claude-haiku', messages: ask('Name a station'), stream: true,
    });
    let text = '';
    for await (const chunk of stream) {
      assert.equal(chunk.model, 'claude-haiku');
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    assert.equal(text, 'Echo: Name a station');
  },
  async autoStreaming() {
    const stream = await client.chat.completions.create({
      model: 'auto', messages: ask('Count the platforms'), stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Echo: Count the platforms');
  },
  async modelsListed() {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    for (const id of ['auto', 'switchyard/code', 'gpt-4o-mini', 'claude-haiku']) {
      assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    }
  },
  async fallbackAfterA503() {
    await fault({ model: 'gpt-4o-mini', status: 503 });
    try {
      const { data, response } = await client.chat.completions
        .create({ model: 'auto', messages: ask('Say hello again') })
        .withResponse();
      assert.equal(response.headers.get('x-switchyard-fallback'), 'true');
      assert.equal(data.model, 'claude-haiku');
    } finally {
      await fault(null);
    }
  },
  async badToken() {
    const bad = new OpenAI({ baseURL: `${URL}/v1`, apiKey: 'sy-not-a-token', maxRetries: 0 });
    await expectError(OpenAI.AuthenticationError, 401,
      () => bad.chat.completions.create({ model: 'auto', messages: ask('hi') }));
  },
  async malformedBody() {
    const e = await expectError(OpenAI.BadRequestError, 400, () => client.post('/chat/completions', {
      body: '{"model": "auto", "messages": [', headers: { 'content-type': 'application/json' },
    }));
    assert.match(e.message, /not valid JSON/);
  },
  async oversizedBody() {
    const e = await expectError(OpenAI.APIError, 413,
      () => client.chat.completions.create({ model: 'auto', messages: ask('x'.repeat(100 * 1024)) }));
    assert.match(e.message, /limit/);
  },
  async unknownModel() {
    const e = await expectError(OpenAI.NotFoundError, 404,
      () => client.chat.completions.create({ model: 'gpt-17', messages: ask('hi') }));
    assert.equal(e.code, 'model_not_found');
  },
  async budgetBlock() {
    execFileSync(process.env.SWITCHYARD_BIN, ['--db', process.env.SWITCHYARD_DB, 'budgets', 'set',
      '--period', 'day', '--limit', '0.000001']);
    const e = await expectError(OpenAI.RateLimitError, 429,
      () => client.chat.completions.create({ model: 'auto', messages: ask('One more') }));
    assert.match(e.message, /daily/i);
  },
};

let passed = 0;
let failed = 0;
for (const [name, run] of Object.entries(cases)) {
  try {
    await run();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
