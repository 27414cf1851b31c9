/**
 * Redis connections for the sweep's BullMQ queue. ioredis reads the URL: `redis://[[user]:password@]host:port[/db]`,
 * or `rediss://` for TLS; every connection retries forever (maxRetriesPerRequest null, as BullMQ requires), so a
 * restarted Redis is reconnected to and the sweep goes on.
 */
import IORedis from "ioredis";
import { fail } from "../tensor";

/** The queue workers listen on unless told otherwise. */
export const DEFAULT_QUEUE = "scorelab-trials";

/** The pub/sub channel on which a submitter asks workers to stop the running trials of its sweep. */
export function abortChannel(queue: string): string {
  return `scorelab:${queue}:abort`;
}

/**
 * @example const r = redisConnection("redis://127.0.0.1:6379", "worker");
 */
export function redisConnection(url: string, fn: string): IORedis {
  if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) fail(fn, "redis", `must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    // Back off to at most 1 s between tries: a restart is seconds, and a sweep should not wait long after it.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
}

/** Logs a connection error once per distinct message (a down Redis otherwise prints one line per retry). */
export function quietErrors(log: (line: string) => void): (e: Error) => void {
  const seen = new Set<string>();
  return (e) => {
    if (seen.has(e.message)) return;
    seen.add(e.message);
    log(`redis: ${e.message}`);
  };
}
