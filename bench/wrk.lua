-- wrk script for bench/load.py: cycles through the paths in a file (one per line), sends the
-- headers a TLS-terminating proxy would add (and a session cookie when given), and prints the
-- result as one line of JSON.
--
--   wrk -t2 -c16 -d4s -s bench/wrk.lua http://127.0.0.1:8080 -- paths.txt "sessionid=…"

local paths = {}
local next_path = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  if args[2] and args[2] ~= "" then
    wrk.headers["Cookie"] = args[2]
  end
  wrk.headers["X-Forwarded-Proto"] = "https"
  -- Each thread starts at its own place in the list, so a mix is mixed from the first second.
  next_path = math.random(#paths) - 1
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "bad_status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status
  ))
end
