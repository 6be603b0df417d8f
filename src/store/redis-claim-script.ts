/**
 * The Redis claim, one Lua script and so one atomic step: no other claimer, from any process, runs
 * between its "does this conversation have a live claim" check and its write.
 *
 * Only conversations in `ready` whose score (a lower bound of when they may next have a claimable row)
 * has passed are examined, so busy, paused and backed-off conversations cost nothing until then. Each
 * examined conversation either yields its oldest due row or gets a tighter bound: its live claim's end,
 * its pause's end, or its earliest notBefore (or leaves `ready` when it has no open rows). Every write
 * elsewhere only lowers the bound or raises it to a time before which nothing can be claimed (see
 * redis-outbox-scripts.ts), so a conversation with claimable work is never skipped.
 */
import { PRELUDE } from './redis-outbox-scripts.ts';

/** ARGV: base, now, owner, claimed until, limit. Returns the claimed rows as HGETALL pairs, oldest first. */
export const CLAIM = `${PRELUDE}
local now, owner, claimedUntil, limit = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local CHUNK = 32

-- The conversation's oldest due row (its member and createdAt), or nil and the earliest time one is due.
local function head(ck)
  local earliest = nil
  local start = 0
  while true do
    local page = redis.call('ZRANGE', B .. 'open:' .. ck, start, start + CHUNK - 1, 'WITHSCORES')
    if #page == 0 then return nil, earliest end
    for i = 1, #page, 2 do
      local row = redis.call('HMGET', memberKey(page[i]), 'state', 'notBefore', 'claimedUntil')
      local dueAt = tonumber(row[2])
      if row[1] == 'sending' then dueAt = math.max(dueAt, tonumber(row[3])) end
      if dueAt <= now then return { m = page[i], createdAt = tonumber(page[i + 1]), ck = ck } end
      if not earliest or dueAt < earliest then earliest = dueAt end
    end
    start = start + CHUNK
  end
end

-- When the conversation cannot be claimed now: the later of its running pause and its live claim.
local function blockedUntil(ck)
  local blocked = nil
  local pause = pauseOf(ck)
  if pause and tonumber(pause) > now then blocked = tonumber(pause) end
  local live = redis.call('ZREVRANGE', B .. 'sending:' .. ck, 0, 0, 'WITHSCORES')
  if live[2] and tonumber(live[2]) > now and (not blocked or tonumber(live[2]) > blocked) then blocked = tonumber(live[2]) end
  return blocked
end

local candidates = {}
for _, ck in ipairs(redis.call('ZRANGEBYSCORE', B .. 'ready', '-inf', now)) do
  local blocked = blockedUntil(ck)
  if blocked then redis.call('ZADD', B .. 'ready', blocked, ck)
  else
    local found, earliest = head(ck)
    if found then candidates[#candidates + 1] = found
    elseif earliest then redis.call('ZADD', B .. 'ready', earliest, ck)
    else redis.call('ZREM', B .. 'ready', ck) end
  end
end
table.sort(candidates, function(a, b)
  if a.createdAt ~= b.createdAt then return a.createdAt < b.createdAt end
  return a.m < b.m
end)

local claimed = {}
for i = 1, math.min(limit, #candidates) do
  local c = candidates[i]
  local key = memberKey(c.m)
  if redis.call('HGET', key, 'state') == 'pending' then
    count('pending', -1)
    count('sending', 1)
  end
  redis.call('HSET', key, 'state', 'sending', 'claimedBy', owner, 'claimedUntil', claimedUntil)
  redis.call('HINCRBY', key, 'attempts', 1)
  redis.call('ZADD', B .. 'sending:' .. c.ck, claimedUntil, c.m)
  redis.call('ZADD', B .. 'ready', claimedUntil, c.ck)
  claimed[#claimed + 1] = redis.call('HGETALL', key)
end
return claimed
`;
