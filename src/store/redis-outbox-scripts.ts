/**
 * Lua scripts of the Redis event store and outbox. Redis runs a script atomically, so each one is a
 * transaction; it does NOT roll back a script that fails half-way, so every check comes before the first
 * write. ARGV[1] is the key base `<prefix>:{outbox}:`. Scripts build row and conversation keys
 * themselves, which needs every key on one server: true for the single-node client the store uses, and
 * the `{outbox}` hash tag (one cluster slot) plus the declared KEYS[1] (`counts`, for routing) keep a move
 * to a cluster possible.
 *
 * Keys under the base: `row:<id>` hash per row; `event:<id>` hash; `dedupe:<key>` → event id; `seq`
 * insertion counter; per conversation `open:<ck>` (pending and sending rows), `sending:<ck>` (score:
 * claimed until) and `rows:<ck>` (every row, for listConversation); `ready` zset of conversations scored
 * by a LOWER BOUND of when they may next have a claimable row; `pauses` (score: paused until); `dead` and
 * `done` indexes; `counts` hash per state. Row members are `<15-digit seq>|<id>` scored by createdAt, so
 * equal createdAt sorts by insertion order, as in SQL.
 */
export const PRELUDE = `
local B = ARGV[1]
local function rowKey(id) return B .. 'row:' .. id end
local function memberKey(m) return rowKey(string.sub(m, 17)) end
local function count(state, delta) if delta ~= 0 then redis.call('HINCRBY', B .. 'counts', state, delta) end end
local function pauseOf(ck) return redis.call('ZSCORE', B .. 'pauses', ck) end
local function withPause(ck, nb)
  local pause = pauseOf(ck)
  if pause and tonumber(pause) > tonumber(nb) then return pause end
  return nb
end
local function lower(ck, score)
  local current = redis.call('ZSCORE', B .. 'ready', ck)
  if not current or tonumber(score) < tonumber(current) then redis.call('ZADD', B .. 'ready', score, ck) end
end
local function release(ck)
  if redis.call('ZCARD', B .. 'open:' .. ck) > 0 then redis.call('ZADD', B .. 'ready', 0, ck)
  else redis.call('ZREM', B .. 'ready', ck) end
end
`;

/** ARGV: base, event id, dedupe key, kind, body JSON, receivedAt, then (id, conversation key, payload JSON)…
 *  Returns 1, 0 for a known dedupe key, or an error starting with CONFLICT when an id is taken. */
export const RECORD_EVENT = `${PRELUDE}
local eventId, dedupeKey, receivedAt = ARGV[2], ARGV[3], ARGV[6]
if redis.call('EXISTS', B .. 'dedupe:' .. dedupeKey) == 1 then return 0 end
if redis.call('EXISTS', B .. 'event:' .. eventId) == 1 then return redis.error_reply('CONFLICT event ' .. eventId) end
local seen = {}
for i = 7, #ARGV, 3 do
  if seen[ARGV[i]] or redis.call('EXISTS', rowKey(ARGV[i])) == 1 then return redis.error_reply('CONFLICT message ' .. ARGV[i]) end
  seen[ARGV[i]] = true
end
redis.call('SET', B .. 'dedupe:' .. dedupeKey, eventId)
redis.call('HSET', B .. 'event:' .. eventId, 'id', eventId, 'dedupeKey', dedupeKey, 'kind', ARGV[4], 'body', ARGV[5], 'receivedAt', receivedAt)
for i = 7, #ARGV, 3 do
  local id, ck = ARGV[i], ARGV[i + 1]
  local m = string.format('%015d', redis.call('INCR', B .. 'seq')) .. '|' .. id
  local nb = withPause(ck, receivedAt)
  redis.call('HSET', rowKey(id), 'id', id, 'eventId', eventId, 'conversationKey', ck, 'payload', ARGV[i + 2],
    'state', 'pending', 'attempts', 0, 'notBefore', nb, 'createdAt', receivedAt, 'm', m)
  redis.call('ZADD', B .. 'open:' .. ck, receivedAt, m)
  redis.call('ZADD', B .. 'rows:' .. ck, receivedAt, m)
  lower(ck, nb)
end
count('pending', (#ARGV - 6) / 3)
return 1
`;

/** ARGV: base, id, owner, new state (done|pending|dead), notBefore (pending), error. Returns 1 or 0 (not ours). */
export const FINISH = `${PRELUDE}
local key = rowKey(ARGV[2])
local row = redis.call('HMGET', key, 'state', 'claimedBy', 'conversationKey', 'm', 'createdAt')
if row[1] ~= 'sending' or row[2] ~= ARGV[3] then return 0 end
local ck, m, state = row[3], row[4], ARGV[4]
redis.call('HDEL', key, 'claimedBy', 'claimedUntil')
redis.call('HSET', key, 'state', state)
redis.call('ZREM', B .. 'sending:' .. ck, m)
count('sending', -1)
count(state, 1)
if state == 'pending' then
  redis.call('HSET', key, 'notBefore', withPause(ck, ARGV[5]), 'lastError', ARGV[6])
else
  redis.call('ZREM', B .. 'open:' .. ck, m)
  if state == 'dead' then redis.call('HSET', key, 'lastError', ARGV[6]) end
  redis.call('ZADD', B .. state, row[5], m)
end
release(ck)
return 1
`;

/** ARGV: base, conversation key, now, owner, claimed until, minimum, limit. Rows as HGETALL pairs; none
 *  unless the owner holds a live claim in the conversation and at least `minimum` pending rows are due. */
export const CLAIM_MORE = `${PRELUDE}
local ck, now, owner, claimedUntil, minimum, limit = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local held = false
for _, m in ipairs(redis.call('ZRANGEBYSCORE', B .. 'sending:' .. ck, '(' .. now, '+inf')) do
  if redis.call('HGET', memberKey(m), 'claimedBy') == owner then held = true break end
end
if not held then return {} end
local due = {}
for _, m in ipairs(redis.call('ZRANGE', B .. 'open:' .. ck, 0, -1)) do
  if #due >= limit then break end
  local row = redis.call('HMGET', memberKey(m), 'state', 'notBefore')
  if row[1] == 'pending' and tonumber(row[2]) <= now then due[#due + 1] = m end
end
if #due < minimum then return {} end
local claimed = {}
for _, m in ipairs(due) do
  local key = memberKey(m)
  redis.call('HSET', key, 'state', 'sending', 'claimedBy', owner, 'claimedUntil', claimedUntil)
  redis.call('HINCRBY', key, 'attempts', 1)
  redis.call('ZADD', B .. 'sending:' .. ck, claimedUntil, m)
  claimed[#claimed + 1] = redis.call('HGETALL', key)
end
count('pending', -#due)
count('sending', #due)
return claimed
`;

/** ARGV: base, conversation key, until. The pause also raises the conversation's wake-up bound. */
export const DEFER = `${PRELUDE}
local ck, untilAt = ARGV[2], ARGV[3]
local pause = pauseOf(ck)
if not pause or tonumber(pause) < tonumber(untilAt) then redis.call('ZADD', B .. 'pauses', untilAt, ck) end
for _, m in ipairs(redis.call('ZRANGE', B .. 'open:' .. ck, 0, -1)) do
  local row = redis.call('HMGET', memberKey(m), 'state', 'notBefore')
  if row[1] == 'pending' and tonumber(row[2]) < tonumber(untilAt) then redis.call('HSET', memberKey(m), 'notBefore', untilAt) end
end
local score = redis.call('ZSCORE', B .. 'ready', ck)
if score and tonumber(score) < tonumber(untilAt) then redis.call('ZADD', B .. 'ready', untilAt, ck) end
return 1
`;

/** ARGV: base, conversation key, reason. Pending rows become dead; returns how many. */
export const DROP = `${PRELUDE}
local ck = ARGV[2]
local n = 0
for _, m in ipairs(redis.call('ZRANGE', B .. 'open:' .. ck, 0, -1)) do
  local row = redis.call('HMGET', memberKey(m), 'state', 'createdAt')
  if row[1] == 'pending' then
    redis.call('HSET', memberKey(m), 'state', 'dead', 'lastError', ARGV[3])
    redis.call('ZREM', B .. 'open:' .. ck, m)
    redis.call('ZADD', B .. 'dead', row[2], m)
    n = n + 1
  end
end
count('pending', -n)
count('dead', n)
if redis.call('ZCARD', B .. 'open:' .. ck) == 0 then redis.call('ZREM', B .. 'ready', ck) end
return n
`;

/** ARGV: base, '*' for every dead row or '' for the listed ones, ids… Returns how many were replayed. */
export const REPLAY = `${PRELUDE}
local members = {}
if ARGV[2] == '*' then members = redis.call('ZRANGE', B .. 'dead', 0, -1)
else
  for i = 3, #ARGV do
    local m = redis.call('HGET', rowKey(ARGV[i]), 'm')
    if m then members[#members + 1] = m end
  end
end
local n = 0
for _, m in ipairs(members) do
  local row = redis.call('HMGET', memberKey(m), 'state', 'conversationKey', 'notBefore', 'createdAt')
  if row[1] == 'dead' then
    local nb = withPause(row[2], row[3])
    redis.call('HSET', memberKey(m), 'state', 'pending', 'attempts', 0, 'notBefore', nb)
    redis.call('ZREM', B .. 'dead', m)
    redis.call('ZADD', B .. 'open:' .. row[2], row[4], m)
    lower(row[2], nb)
    n = n + 1
  end
end
count('dead', -n)
count('pending', n)
return n
`;

/** ARGV: base, 'dead' and a limit, or 'conversation' and its key. Returns each row as HGETALL pairs. */
export const LIST = `${PRELUDE}
local members
if ARGV[2] == 'dead' then members = redis.call('ZRANGE', B .. 'dead', 0, tonumber(ARGV[3]) - 1)
else members = redis.call('ZRANGE', B .. 'rows:' .. ARGV[3], 0, -1) end
local rows = {}
for _, m in ipairs(members) do
  local row = redis.call('HGETALL', memberKey(m))
  if #row > 0 then rows[#rows + 1] = row end
end
return rows
`;

/** ARGV: base, cutoff, batch size. Deletes done rows created before the cutoff and ended pauses. */
export const SWEEP = `${PRELUDE}
local members = redis.call('ZRANGEBYSCORE', B .. 'done', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(members) do
  local ck = redis.call('HGET', memberKey(m), 'conversationKey')
  if ck then redis.call('ZREM', B .. 'rows:' .. ck, m) end
  redis.call('DEL', memberKey(m))
  redis.call('ZREM', B .. 'done', m)
end
count('done', -#members)
redis.call('ZREMRANGEBYSCORE', B .. 'pauses', '-inf', '(' .. ARGV[2])
return #members
`;
