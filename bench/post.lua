-- wrk script for bench/run.sh: POSTs one JSON message per request and prints one result line.
-- BENCH_MODE=routed (POST /api/v1/route), direct (POST /api/v1/messages on an agent, unique ids) or openai
-- (POST /v1/chat/completions, model BENCH_MODEL or mesh/auto), BENCH_AUTH=<bearer credential>,
-- BENCH_NONCE=<run id, keeps direct ids unique across runs>, BENCH_SESSION=<session key of every message, optional>.
local mode = os.getenv("BENCH_MODE") or "routed"
local session = os.getenv("BENCH_SESSION")
local model = os.getenv("BENCH_MODEL") or "mesh/auto"
local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
local threads = 0
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_AUTH") or "")

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function request()
   counter = counter + 1
   local body
   if mode == "direct" then
      body = string.format('{"id":"bench-%s-%d-%d","content":"ping %d","source":"bench"}', nonce, tid, counter, counter)
   elseif mode == "openai" then
      local user = session and string.format(',"user":"%s"', session) or ""
      body = string.format('{"model":"%s"%s,"messages":[{"role":"user","content":"ping %d"}]}', model, user, counter)
   elseif session then
      body = string.format('{"content":"ping %d","source":"bench","session_key":"%s"}', counter, session)
   else
      body = string.format('{"content":"ping %d","source":"bench"}', counter)
   end
   return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("mode=%s connections=%s requests=%d errors=%d throughput=%.0f/s p50=%.2fms p99=%.2fms max=%.2fms\n",
      mode, os.getenv("BENCH_CONNECTIONS") or "?", summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
