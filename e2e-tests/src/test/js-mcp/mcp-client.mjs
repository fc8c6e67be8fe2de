// Talks to the coordinator's /mcp as an assistant would, with the official MCP TypeScript SDK client, and prints
// what it saw as one JSON object on stdout for McpEndToEndTests to check. Arguments come from the environment:
// MCP_URL (http://127.0.0.1:PORT/mcp), MCP_TOKEN (the bearer token), TARGET (the node to send to),
// SLOW_CONTENT (a message whose reply streams for several seconds).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = new URL(process.env.MCP_URL);
const target = process.env.TARGET;

function connect(token) {
  const client = new Client({ name: "claw-mesh-e2e", version: "1.0.0" });
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  return { client, transport };
}

function text(result) {
  return result.content.filter((part) => part.type === "text").map((part) => part.text).join("");
}

async function refused(token) {
  const { client, transport } = connect(token);
  try {
    await client.connect(transport);
    await client.close();
    return "connected";
  } catch (error) {
    return String(error.message ?? error);
  }
}

const out = {};
out.withoutToken = await refused(null);
out.withWrongToken = await refused("not-the-token");

const { client, transport } = connect(process.env.MCP_TOKEN);
await client.connect(transport);
out.serverName = client.getServerVersion()?.name;
out.tools = (await client.listTools()).tools.map((tool) => tool.name).sort();

// the reply in one call, streamed to us as progress notifications meanwhile
const progress = [];
const sent = await client.callTool(
  { name: "send_message", arguments: { content: process.env.SLOW_CONTENT, target } },
  undefined,
  { onprogress: (p) => progress.push({ progress: p.progress, message: p.message }), timeout: 90000 },
);
out.send = { isError: sent.isError ?? false, text: text(sent), status: sent.structuredContent?.status,
  node: sent.structuredContent?.node_name, progress };

// without waiting: a task id, then get_task until it has finished
const queued = await client.callTool({ name: "send_message", arguments: { content: "async hello", target, wait: false } });
const taskId = queued.structuredContent.task_id;
out.async = { isError: queued.isError ?? false, taskId, status: queued.structuredContent.status };
let task;
for (let i = 0; i < 100; i++) {
  task = await client.callTool({ name: "get_task", arguments: { task_id: taskId } });
  if (task.isError || task.structuredContent?.status === "succeeded") break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
out.getTask = { isError: task.isError ?? false, text: text(task), status: task.structuredContent?.status };

// a long one, canceled while it runs
const slow = await client.callTool({
  name: "send_message", arguments: { content: process.env.SLOW_CONTENT + " again", target, wait: false } });
const slowId = slow.structuredContent.task_id;
for (let i = 0; i < 100; i++) {
  const seen = await client.callTool({ name: "get_task", arguments: { task_id: slowId } });
  if (seen.structuredContent?.status === "running") break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const canceled = await client.callTool({ name: "cancel_task", arguments: { task_id: slowId } });
out.cancel = { taskId: slowId, isError: canceled.isError ?? false, text: text(canceled) };
const after = await client.callTool({ name: "get_task", arguments: { task_id: slowId } });
out.afterCancel = { isError: after.isError ?? false, text: text(after) };

// a bad call: a tool error the assistant can read, not a protocol failure
const bad = await client.callTool({ name: "send_message", arguments: { target } });
out.badArguments = { isError: bad.isError ?? false, text: text(bad) };

await client.close();
console.log(JSON.stringify(out));
