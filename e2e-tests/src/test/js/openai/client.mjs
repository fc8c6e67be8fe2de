// Drives the coordinator's OpenAI-compatible API with the official openai client, the way a chat UI or an SDK user
// would, and prints what it saw as one JSON object for OpenAiClientEndToEndTests to check.
//
// Environment: MESH_BASE_URL (http://127.0.0.1:PORT/v1), MESH_API_KEY (a client key), MESH_MODEL, MESH_PROMPT,
// MESH_SESSION (the user field), MESH_FORBIDDEN_MODEL (a model the key may not use).
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.MESH_BASE_URL,
  apiKey: process.env.MESH_API_KEY,
  maxRetries: 0,
  timeout: 30_000,
});
const model = process.env.MESH_MODEL;
const prompt = process.env.MESH_PROMPT;
const result = {};

async function failure(call) {
  try {
    await call();
    return { status: 'no error' };
  } catch (error) {
    return { status: error.status ?? null, code: error.code ?? null, message: error.message, name: error.constructor.name };
  }
}

const models = await client.models.list();
result.models = models.data.map((m) => m.id);

const completion = await client.chat.completions.create({
  model,
  user: process.env.MESH_SESSION,
  messages: [
    { role: 'system', content: 'You are a mesh.' },
    { role: 'user', content: prompt },
  ],
});
result.completion = {
  id: completion.id,
  object: completion.object,
  model: completion.model,
  content: completion.choices[0].message.content,
  role: completion.choices[0].message.role,
  finishReason: completion.choices[0].finish_reason,
  totalTokens: completion.usage?.total_tokens ?? null,
};

const stream = await client.chat.completions.create({
  model,
  stream: true,
  user: process.env.MESH_SESSION,
  messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
});
const deltas = [];
let role = null;
let finishReason = null;
for await (const chunk of stream) {
  const choice = chunk.choices[0];
  if (choice.delta.role) role = role ?? choice.delta.role;
  if (choice.delta.content) deltas.push(choice.delta.content);
  if (choice.finish_reason) finishReason = choice.finish_reason;
}
result.stream = { deltas, content: deltas.join(''), role, finishReason };

result.unknownModel = await failure(() =>
  client.chat.completions.create({ model: 'mesh/node/nobody', messages: [{ role: 'user', content: 'hi' }] }));
result.forbiddenModel = await failure(() =>
  client.chat.completions.create({
    model: process.env.MESH_FORBIDDEN_MODEL,
    messages: [{ role: 'user', content: 'hi' }],
  }));
result.wrongKey = await failure(() =>
  new OpenAI({ baseURL: process.env.MESH_BASE_URL, apiKey: 'cmk_wrong', maxRetries: 0 }).models.list());

process.stdout.write(JSON.stringify(result) + '\n');
