import type { Redis } from 'ioredis';
import { TERMINAL_STATUSES } from '../../contract/index.js';

/**
 * Every Lua script the BFF runs on Redis, and the one way to register them. A script is a step
 * that must be atomic across every BFF instance: what SQLite does in one transaction, or a
 * compare-and-act on a lease, a rate counter or the webhook outbox.
 */

type Scripts = Record<string, { keys: number; lua: string }>;

/** The connection with each script as a command (ioredis runs it by EVALSHA, loading it on first use). */
export type Scripted<S extends Scripts> = Redis & { [K in keyof S]: (...args: (string | number)[]) => Promise<unknown> };

/** Defines `scripts` as commands on `redis`, once per connection, and returns it typed with them. */
export function defineScripts<S extends Scripts>(redis: Redis, scripts: S): Scripted<S> {
  for (const [name, { keys, lua }] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: keys, lua });
  }
  return redis as Scripted<S>;
}

const TERMINAL_LUA = `{ ${TERMINAL_STATUSES.map((s) => `['${JSON.stringify(s)}'] = true`).join(', ')} }`;

/** Helpers every store script starts with. */
const PRELUDE = `
local ns = ARGV[1]
local TERMINAL = ${TERMINAL_LUA}
local function used(sid)
  local total = 0
  for _, jid in ipairs(redis.call('SMEMBERS', ns .. 'session-jobs:' .. sid)) do
    local c = redis.call('HGET', ns .. 'job:' .. jid, 'creditsCharged')
    if c then total = total + tonumber(c) end
  end
  return total
end
-- Lua numbers in a reply are truncated to integers by Redis, so credit sums travel as strings.
local function num(n) return string.format('%.17g', n) end
local function track(id, status)
  if TERMINAL[status] then redis.call('SREM', ns .. 'unfinished', id) else redis.call('SADD', ns .. 'unfinished', id) end
end
local function dropOutputs(id)
  local lk = ns .. 'job-outputs:' .. id
  for _, oid in ipairs(redis.call('LRANGE', lk, 0, -1)) do redis.call('DEL', ns .. 'output:' .. oid) end
  redis.call('DEL', lk)
end
`;

/**
 * The steps the two job-creating scripts (a job, a batch item's redo) share. Their ARGV start alike:
 * ns, jobId, sessionId, subject, listMember, creditsCharged, maxCredits|'', idemKey|'', idemHash,
 * idemJobId, idemCreatedAt; `id` and `sid` are set from them first.
 */
// A repeat of the same Idempotency-Key answers with the job it made.
const JOB_REPLAY = `local idem = ARGV[8]
if idem ~= '' then
  local prior = redis.call('HMGET', idem, 'jobId', 'requestHash')
  if prior[1] then return {'exists', prior[2], redis.call('HGETALL', ns .. 'job:' .. prior[1])} end
end`;
// The session's allowance, checked against what it has used, in the same step as the charge.
const JOB_CREDIT_CHECK = `if ARGV[7] ~= '' then
  local u = used(sid)
  if u + tonumber(ARGV[6]) > tonumber(ARGV[7]) then return {'insufficient_credits', num(u)} end
end`;
// The job's fields from ARGV[fieldsFrom] on, its indexes, and the idempotency record.
const insertJob = (fieldsFrom: number) => `local key = ns .. 'job:' .. id
redis.call('HSET', key, unpack(ARGV, ${fieldsFrom}))
redis.call('SADD', ns .. 'session-jobs:' .. sid, id)
redis.call('ZADD', ns .. 'subject-jobs:' .. ARGV[4], 0, ARGV[5])
track(id, redis.call('HGET', key, 'status'))
if idem ~= '' then redis.call('HSET', idem, 'jobId', ARGV[10], 'requestHash', ARGV[9], 'createdAt', ARGV[11]) end`;

/**
 * The store's scripts. They take no KEYS: each builds its keys from the namespace in ARGV[1]
 * (fine for one Redis server or a replicated primary, not for Redis Cluster).
 */
export const STORE_SCRIPTS = {
  // ARGV: ns, jobId, sessionId, subject, listMember, creditsCharged, maxCredits|'', idemKey|'', idemHash, idemJobId, idemCreatedAt, field, value, ...
  stagingCreateJob: { keys: 0, lua: `${PRELUDE}
local id, sid = ARGV[2], ARGV[3]
${JOB_REPLAY}
${JOB_CREDIT_CHECK}
${insertJob(12)}
return {'created'}` },

  // ARGV: ns, jobId, guardCount (-1 = no guard), guards..., field, value, ...
  stagingUpdateJob: { keys: 0, lua: `${PRELUDE}
local key = ns .. 'job:' .. ARGV[2]
if redis.call('EXISTS', key) == 0 then return false end
local n = tonumber(ARGV[3])
if n >= 0 then
  local st = redis.call('HGET', key, 'status')
  local ok = false
  for i = 4, 3 + n do if ARGV[i] == st then ok = true end end
  if not ok then return false end
else
  n = 0
end
local first = 4 + n
if #ARGV >= first then
  redis.call('HSET', key, unpack(ARGV, first))
  track(ARGV[2], redis.call('HGET', key, 'status'))
end
return redis.call('HGETALL', key)` },

  // ARGV: ns, jobId, maxCredits|'', now (JSON), callerSessionId
  stagingRetryJob: { keys: 0, lua: `${PRELUDE}
local key = ns .. 'job:' .. ARGV[2]
if redis.call('EXISTS', key) == 0 then return {'not_found'} end
local st = redis.call('HGET', key, 'status')
if st ~= '"failed"' and st ~= '"cancelled"' then return {'invalid_state', redis.call('HGETALL', key)} end
local cost = redis.call('HGET', key, 'cost')
-- The calling session pays: its allowance is checked, and the job moves to it.
local sid = ARGV[5]
if ARGV[3] ~= '' then
  local u = used(sid)
  if u + tonumber(cost) > tonumber(ARGV[3]) then return {'insufficient_credits', num(u)} end
end
local prior = cjson.decode(redis.call('HGET', key, 'sessionId'))
redis.call('SREM', ns .. 'session-jobs:' .. prior, ARGV[2])
redis.call('SADD', ns .. 'session-jobs:' .. sid, ARGV[2])
local attempt = tonumber(redis.call('HGET', key, 'attempt')) + 1
redis.call('HSET', key, 'status', '"pending"', 'progress', '0', 'error', 'null', 'providerState', 'null', 'sessionId', cjson.encode(sid),
  'creditsCharged', cost, 'attempt', string.format('%d', attempt), 'interruptions', '0', 'updatedAt', ARGV[4])
redis.call('SADD', ns .. 'unfinished', ARGV[2])
dropOutputs(ARGV[2])
return {'ok', redis.call('HGETALL', key)}` },

  // ARGV: ns, jobId, now (JSON), outputId, outputJson, ...
  stagingCompleteJob: { keys: 0, lua: `${PRELUDE}
local key = ns .. 'job:' .. ARGV[2]
if redis.call('EXISTS', key) == 0 then return false end
if TERMINAL[redis.call('HGET', key, 'status')] then return false end
redis.call('HSET', key, 'status', '"completed"', 'progress', '1', 'error', 'null', 'updatedAt', ARGV[3])
redis.call('SREM', ns .. 'unfinished', ARGV[2])
-- A job resumed after a crash may have stored outputs of an earlier run: keep only these.
dropOutputs(ARGV[2])
for i = 4, #ARGV, 2 do
  redis.call('SET', ns .. 'output:' .. ARGV[i], ARGV[i + 1])
  redis.call('RPUSH', ns .. 'job-outputs:' .. ARGV[2], ARGV[i])
end
return redis.call('HGETALL', key)` },

  // ARGV: ns, sessionId, subject, maxCredits|'', idemKey|'', requestHash, batchId, batchJson, batchListMember,
  //       then per job: jobId, listMember, creditsCharged, fieldsJson
  stagingCreateBatch: { keys: 0, lua: `${PRELUDE}
local sid, subject, idem = ARGV[2], ARGV[3], ARGV[5]
if idem ~= '' then
  local prior = redis.call('HMGET', idem, 'batchId', 'requestHash')
  if prior[1] then return {'exists', prior[2], redis.call('GET', ns .. 'batch:' .. prior[1]), redis.call('GET', ns .. 'batch:' .. prior[1] .. ':cancelled')} end
end
local needed = 0
for i = 10, #ARGV, 4 do needed = needed + tonumber(ARGV[i + 2]) end
if ARGV[4] ~= '' then
  local u = used(sid)
  if u + needed > tonumber(ARGV[4]) then return {'insufficient_credits', num(u)} end
end
for i = 10, #ARGV, 4 do
  local key = ns .. 'job:' .. ARGV[i]
  redis.call('HSET', key, unpack(cjson.decode(ARGV[i + 3])))
  redis.call('SADD', ns .. 'session-jobs:' .. sid, ARGV[i])
  redis.call('ZADD', ns .. 'subject-jobs:' .. subject, 0, ARGV[i + 1])
  track(ARGV[i], redis.call('HGET', key, 'status'))
end
redis.call('SET', ns .. 'batch:' .. ARGV[7], ARGV[8])
redis.call('ZADD', ns .. 'subject-batches:' .. subject, 0, ARGV[9])
if idem ~= '' then redis.call('HSET', idem, 'batchId', ARGV[7], 'requestHash', ARGV[6]) end
return {'created'}` },

  // ARGV: ns, jobId, sessionId, subject, listMember, creditsCharged, maxCredits|'', idemKey|'', idemHash, idemJobId, idemCreatedAt,
  //       batchId, index (from 0), field, value, ...
  // An item's jobs live in hash batch:<id>:jobs, field <index>: its job ids oldest first, space-separated, the current one last
  // (absent until its first redo: then the batch's own record names its job).
  stagingRedoBatchItem: { keys: 0, lua: `${PRELUDE}
local id, sid = ARGV[2], ARGV[3]
${JOB_REPLAY}
local bkey = ns .. 'batch:' .. ARGV[12]
local raw = redis.call('GET', bkey)
if not raw then return {'not_found'} end
local jobs = redis.call('HGET', bkey .. ':jobs', ARGV[13])
if not jobs then
  local item = cjson.decode(raw).items[tonumber(ARGV[13]) + 1]
  if not item then return {'not_found'} end
  jobs = item.jobId
end
if redis.call('EXISTS', bkey .. ':cancelled') == 1 then return {'cancelled'} end
${JOB_CREDIT_CHECK}
${insertJob(14)}
local replaced = string.match(jobs, '(%S+)$')
redis.call('HSET', bkey .. ':jobs', ARGV[13], jobs .. ' ' .. id)
return {'created', replaced}` },

  // ARGV: ns, sessionId, at
  stagingRevokeSession: { keys: 0, lua: `${PRELUDE}
if redis.call('EXISTS', ns .. 'session:' .. ARGV[2]) == 0 then return 0 end
redis.call('SET', ns .. 'session:' .. ARGV[2] .. ':revoked', ARGV[3], 'NX')
return 1` },
} as const;

/** A script on one key, KEYS[1]. */
const oneKey = (lua: string) => ({ keys: 1, lua });

// Leases (jobs/job-leases.ts). KEYS: the lease · ARGV: holder, ttl. Compare-and-act: only the
// holder named in the key may extend or delete it, so a late release from an instance that lost
// its lease cannot free someone else's.
export const LEASE_SCRIPTS = {
  stagingLeaseAcquire: oneKey(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`),
  stagingLeaseRenew: oneKey(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`),
  stagingLeaseRelease: oneKey(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`),
};

// Session slots (store/redis-store.ts). KEYS: the session's slots (a sorted set: job id → expiry,
// Unix ms on the caller's clock), their holders (a hash: job id → instance). Counting the free
// slots and taking one is one step, so two instances cannot both take a session's last slot.
// Both keys live a little longer than the newest slot, so a session nobody runs jobs for leaves nothing behind.
const SLOT_PRELUDE = `
local now, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
local function hold()
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl * 2)
  redis.call('PEXPIRE', KEYS[2], ttl * 2)
end
local function purge()
  local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
  if #expired == 0 then return end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('HDEL', KEYS[2], unpack(expired))
end
`;
export const SLOT_SCRIPTS = {
  // ARGV: jobId, holder, now, ttl, limit
  stagingSlotTake: { keys: 2, lua: `${SLOT_PRELUDE}
purge()
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then return 0 end
hold()
return 1` },
  // ARGV: jobId, holder, now, ttl
  stagingSlotRenew: { keys: 2, lua: `${SLOT_PRELUDE}
purge()
local h = redis.call('HGET', KEYS[2], ARGV[1])
if h and h ~= ARGV[2] then return 0 end
hold()
return 1` },
  // ARGV: jobId, holder ('' = whoever)
  stagingSlotRelease: { keys: 2, lua: `
if ARGV[2] == '' or redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 0` },
};

// Rate limits (http/redis-rate-limit.ts). KEYS: the counter · ARGV: window ms. INCR and the
// window's expiry in one script: a crash between the two would otherwise leave a counter without
// a TTL that refuses the session forever.
export const RATE_LIMIT_SCRIPTS = {
  stagingRateHit: oneKey(`
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`),
};

// The host-webhook outbox (store/redis-outbox.ts). KEYS: due zset · ARGV: now, claimUntil, limit.
// Claims by moving each due id's score forward.
export const OUTBOX_SCRIPTS = {
  stagingOutboxClaim: oneKey(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids`),
};
