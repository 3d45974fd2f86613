-- wrk script: POST the body in $BODY_FILE with $CONTENT_TYPE and, when set, the binary tensor
-- extension's Inference-Header-Content-Length ($IHCL). Non-2xx answers are counted and printed.
wrk.method = "POST"
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local ihcl = os.getenv("IHCL")
if ihcl and ihcl ~= "" then wrk.headers["Inference-Header-Content-Length"] = ihcl end
-- $CODING=lz4: the body file is an LZ4 frame, and the answer may come back as one.
local coding = os.getenv("CODING")
if coding and coding ~= "" then
  wrk.headers["Content-Encoding"] = coding
  wrk.headers["Accept-Encoding"] = coding
end

local bad = 0
response = function(status, headers, body)
  if status >= 300 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", bad))
end
