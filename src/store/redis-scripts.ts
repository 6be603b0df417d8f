/**
 * Lua scripts for leases: Redis runs a script atomically, so reading the holder and writing the new one
 * cannot interleave with another replica. KEYS[1] is the lease hash (owner, token) whose PEXPIRE is the
 * lease expiry; KEYS[2] is the token counter, which never expires so tokens only grow, even across
 * releases and expiries.
 */

/** ARGV: owner, ttl ms. Returns the token, or nil when someone else holds the lease. */
export const ACQUIRE_LEASE = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'token'))
end
if owner then
  return false
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token
`;

/** ARGV: owner, token, ttl ms. Returns the token, or nil when the lease expired or changed hands. */
export const RENEW_LEASE = `
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] == ARGV[1] and held[2] == ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return tonumber(ARGV[2])
end
return false
`;

/** ARGV: owner, token. Deletes the lease only while that owner and token still hold it. */
export const RELEASE_LEASE = `
local held = redis.call('HMGET', KEYS[1], 'owner', 'token')
if held[1] == ARGV[1] and held[2] == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
