-- Wrong-secret (for a real key id) and unknown-key-id requests, half and half, each with a fresh random secret,
-- so that none can be served from the cache and every one costs a hash check.
local keyId = os.getenv("KEY_ID")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
local hex = "0123456789abcdef"

local function random_string(chars, length)
  local out = {}
  for i = 1, length do
    local r = math.random(1, #chars)
    out[i] = chars:sub(r, r)
  end
  return table.concat(out)
end

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(os.time() + (seed or 0))
end

request = function()
  local id = keyId
  if math.random() < 0.5 then
    id = random_string(hex, 16)
  end
  local key = "ak_v1-" .. id .. "-" .. random_string(alphabet, 64)
  return wrk.format("GET", "/protected", { ["Authorization"] = "Bearer " .. key })
end
