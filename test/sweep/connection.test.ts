import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_QUEUE, abortChannel, quietErrors, redisConnection } from "../../src/sweep/connection";

test("the queue and abort channel names, and a connection that retries forever, backing off to 1 s", () => {
  assert.equal(DEFAULT_QUEUE, "scorelab-trials");
  assert.equal(abortChannel("q1"), "scorelab:q1:abort");
  // Port 1 on loopback: nothing listens, and the connection is dropped before it could matter.
  const r = redisConnection("redis://127.0.0.1:1", "worker");
  try {
    r.on("error", () => undefined);
    assert.equal(r.options.maxRetriesPerRequest, null);
    const retry = r.options.retryStrategy!;
    assert.deepEqual([retry(1), retry(5), retry(10), retry(500)], [100, 500, 1000, 1000]);
  } finally { r.disconnect(); }
  assert.throws(() => redisConnection("http://127.0.0.1:6379", "worker"), /worker: argument 'redis' must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/127.0.0.1:6379"/);
  assert.throws(() => redisConnection(undefined as never, "sweep"), /sweep: argument 'redis' must be a redis:\/\/ or rediss:\/\/ URL/);
});

test("quietErrors logs each distinct message once", () => {
  const lines: string[] = [];
  const on = quietErrors((l) => lines.push(l));
  for (const m of ["ECONNREFUSED", "ECONNREFUSED", "ETIMEDOUT", "ECONNREFUSED"]) on(new Error(m));
  assert.deepEqual(lines, ["redis: ECONNREFUSED", "redis: ETIMEDOUT"]);
});
