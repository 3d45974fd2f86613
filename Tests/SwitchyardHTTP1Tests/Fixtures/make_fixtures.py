#!/usr/bin/env python3
"""Writes the raw HTTP/1.1 request fixtures (*.http, byte-exact, CRLF line endings) and cases.json,
which pairs every fixture with its expected outcome. Run from this folder: python3 make_fixtures.py

cases.json, one object per fixture:
  file        the .http file
  limits      optional {"maxHeaderBytes": n, "maxBodyBytes": n}; default limits otherwise
  requests    the complete requests it yields, in order: method, target, version, headerCount,
              headers ([name, value] pairs, names lower-cased), body (text), keepAlive, and
              expectContinue (true when a client that sends the head first gets an .expectContinue)
  error       optional {"status": n, "message": text}: the parse error after those requests
  paused      optional true: the parser stops for an h2c upgrade; leftoverHex are the bytes it keeps
"""
import json

CASES = []


def case(name, raw, requests=(), error=None, limits=None, paused=False, leftover=b""):
    if isinstance(raw, str):
        raw = raw.encode("latin-1")
    with open(name + ".http", "wb") as f:
        f.write(raw + leftover)
    c = {"file": name + ".http", "requests": list(requests)}
    if error:
        c["error"] = {"status": error[0], "message": error[1]}
    if limits:
        c["limits"] = {"maxHeaderBytes": limits[0], "maxBodyBytes": limits[1]}
    if paused:
        c["paused"] = True
        c["leftoverHex"] = leftover.hex()
    CASES.append(c)


def req(method, target, headers, body="", version="HTTP/1.1", keep_alive=True, expect_continue=False):
    return {"method": method, "target": target, "version": version, "headerCount": len(headers),
            "headers": [[n, v] for n, v in headers], "body": body, "keepAlive": keep_alive,
            "expectContinue": expect_continue}


def crlf(*lines):
    return "".join(l + "\r\n" for l in lines)


HOST = ("host", "localhost:8000")
INFER = '{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}'

# --- requests that parse -------------------------------------------------------------------------
case("get-simple",
     crlf("GET /v2/health/ready HTTP/1.1", "Host: localhost:8000", "User-Agent: curl/8.5.0", "Accept: */*", ""),
     [req("GET", "/v2/health/ready", [HOST, ("user-agent", "curl/8.5.0"), ("accept", "*/*")])])
case("post-content-length",
     crlf("POST /v2/models/mlp/infer HTTP/1.1", "Host: localhost:8000", "Content-Type: application/json",
          "Content-Length: %d" % len(INFER), "") + INFER,
     [req("POST", "/v2/models/mlp/infer",
          [HOST, ("content-type", "application/json"), ("content-length", str(len(INFER)))], INFER)])
case("post-chunked-extensions-trailers",
     crlf("POST /v2/models/mlp/infer HTTP/1.1", "Host: localhost:8000", "Transfer-Encoding: chunked", "")
     + "5;name=value\r\nhello\r\n" + "1A ; a=1 ; b=\"q\"\r\n" + "abcdefghijklmnopqrstuvwxyz\r\n"
     + "000\r\n" + "X-Checksum: abc123\r\n" + "Another-Trailer:  v \r\n" + "\r\n",
     [req("POST", "/v2/models/mlp/infer", [HOST, ("transfer-encoding", "chunked")],
          "hello" + "abcdefghijklmnopqrstuvwxyz")])
case("http10-close",
     crlf("GET /v2 HTTP/1.0", "User-Agent: ApacheBench/2.3", ""),
     [req("GET", "/v2", [("user-agent", "ApacheBench/2.3")], version="HTTP/1.0", keep_alive=False)])
case("http10-keep-alive",
     crlf("GET /v2 HTTP/1.0", "Connection: Keep-Alive", ""),
     [req("GET", "/v2", [("connection", "Keep-Alive")], version="HTTP/1.0", keep_alive=True)])
case("http11-connection-close",
     crlf("GET /v2 HTTP/1.1", "Host: localhost:8000", "Connection: close", ""),
     [req("GET", "/v2", [HOST, ("connection", "close")], keep_alive=False)])
case("connection-token-list",
     crlf("GET /v2 HTTP/1.1", "Host: localhost:8000", "Connection: foo , Keep-Alive,CLOSE", ""),
     [req("GET", "/v2", [HOST, ("connection", "foo , Keep-Alive,CLOSE")], keep_alive=False)])
case("head",
     crlf("HEAD /v2/models/mlp HTTP/1.1", "Host: localhost:8000", ""),
     [req("HEAD", "/v2/models/mlp", [HOST])])
case("expect-continue",
     crlf("POST /v2/models/mlp/infer HTTP/1.1", "Host: localhost:8000", "Expect: 100-continue",
          "Content-Length: %d" % len(INFER), "") + INFER,
     [req("POST", "/v2/models/mlp/infer",
          [HOST, ("expect", "100-continue"), ("content-length", str(len(INFER)))], INFER, expect_continue=True)])
case("expect-continue-chunked",
     crlf("PUT /upload HTTP/1.1", "Host: localhost:8000", "Expect: 100-Continue", "Transfer-Encoding: chunked", "")
     + "3\r\nabc\r\n0\r\n\r\n",
     [req("PUT", "/upload", [HOST, ("expect", "100-Continue"), ("transfer-encoding", "chunked")], "abc",
          expect_continue=True)])
case("expect-continue-empty-body",
     crlf("POST /x HTTP/1.1", "Host: localhost:8000", "Expect: 100-continue", "Content-Length: 0", ""),
     [req("POST", "/x", [HOST, ("expect", "100-continue"), ("content-length", "0")])])
case("absolute-form",
     crlf("GET http://Example.com:8000/v2/models/mlp?verbose=1 HTTP/1.1", "Host: example.com:8000", ""),
     [req("GET", "/v2/models/mlp?verbose=1", [("host", "example.com:8000")])])
case("absolute-form-no-path",
     crlf("GET HTTP://example.com HTTP/1.1", "Host: example.com", ""),
     [req("GET", "/", [("host", "example.com")])])
case("options-asterisk",
     crlf("OPTIONS * HTTP/1.1", "Host: localhost:8000", ""),
     [req("OPTIONS", "*", [HOST])])
case("leading-empty-line",
     "\r\n" + crlf("GET /v2 HTTP/1.1", "Host: localhost:8000", ""),
     [req("GET", "/v2", [HOST])])
case("bare-lf-line-endings",
     "GET /v2 HTTP/1.1\nHost: localhost:8000\nContent-Length: 2\n\nok",
     [req("GET", "/v2", [HOST, ("content-length", "2")], "ok")])
case("post-without-body",
     crlf("POST /v2/repository/index HTTP/1.1", "Host: localhost:8000", ""),
     [req("POST", "/v2/repository/index", [HOST])])
case("equal-content-lengths",
     crlf("POST /x HTTP/1.1", "Host: localhost:8000", "Content-Length: 3", "content-length: 3, 3", "") + "abc",
     [req("POST", "/x", [HOST, ("content-length", "3"), ("content-length", "3, 3")], "abc")])
case("header-names-and-values",
     crlf("GET /x?a=1&b=%20 HTTP/1.1", "HOST: localhost:8000", "X-Padded: \t value with  spaces \t ",
          "X-Empty:", "X-Obs-Text: caf\xc3\xa9", "X-Tokens!#$%&'*+-.^_`|~09: ok", ""),
     [req("GET", "/x?a=1&b=%20", [HOST, ("x-padded", "value with  spaces"), ("x-empty", ""),
                                   ("x-obs-text", "caf\u00e9"), ("x-tokens!#$%&'*+-.^_`|~09", "ok")])])
case("extension-method",
     crlf("PURGE /cache HTTP/1.1", "Host: localhost:8000", ""),
     [req("PURGE", "/cache", [HOST])])
case("http10-transfer-encoding-closes",
     crlf("POST /x HTTP/1.0", "Connection: keep-alive", "Transfer-Encoding: chunked", "") + "2\r\nhi\r\n0\r\n\r\n",
     [req("POST", "/x", [("connection", "keep-alive"), ("transfer-encoding", "chunked")], "hi",
          version="HTTP/1.0", keep_alive=False)])
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100])
case("h2c-upgrade",
     crlf("GET /v2/health/live HTTP/1.1", "Host: localhost:8000", "Connection: Upgrade, HTTP2-Settings",
          "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", ""),
     [req("GET", "/v2/health/live", [HOST, ("connection", "Upgrade, HTTP2-Settings"), ("upgrade", "h2c"),
                                     ("http2-settings", "AAMAAABkAARAAAAAAAIAAAAA")])],
     paused=True, leftover=PREFACE)

# --- errors ------------------------------------------------------------------------------------
case("err-garbage", crlf("GARBAGE", ""), error=(400, "malformed request line: no request target"))
case("err-method-character", crlf("GE(T / HTTP/1.1", "Host: a", ""),
     error=(400, "invalid character 0x28 in method"))
case("err-target-character", crlf("GET /a\x7fb HTTP/1.1", "Host: a", ""),
     error=(400, "invalid character 0x7F in request target"))
case("err-double-space", crlf("GET  / HTTP/1.1", "Host: a", ""),
     error=(400, "malformed request line: empty request target"))
case("err-relative-target", crlf("GET v2/models HTTP/1.1", "Host: a", ""),
     error=(400, "invalid request target \"v2/models\""))
case("err-asterisk-not-options", crlf("GET * HTTP/1.1", "Host: a", ""),
     error=(400, "request target \"*\" is only allowed with OPTIONS"))
case("err-version-garbage", crlf("GET / HTTX/1.1", "Host: a", ""),
     error=(400, "malformed request line: invalid HTTP version \"HTTX/1.1\""))
case("err-version-http2", crlf("GET / HTTP/2.0", "Host: a", ""),
     error=(505, "HTTP version \"HTTP/2.0\" is not supported"))
case("err-version-http3", crlf("GET / HTTP/3", "Host: a", ""),
     error=(505, "HTTP version \"HTTP/3\" is not supported"))
case("err-bare-cr-request-line", "GET / HTTP/1.1\rHost: a\r\n\r\n",
     error=(400, "invalid character 0x0D in HTTP version"))
case("err-bare-cr-header-value", crlf("GET / HTTP/1.1", "Host: a\rb", ""),
     error=(400, "invalid character 0x0D in value of header \"Host\""))
case("err-space-before-colon", crlf("GET / HTTP/1.1", "Host : a", ""),
     error=(400, "invalid character 0x20 in header name"))
case("err-control-in-header-name", crlf("GET / HTTP/1.1", "Host: a", "X\x01Y: z", ""),
     error=(400, "invalid character 0x01 in header name"))
case("err-nul-in-header-value", crlf("GET / HTTP/1.1", "Host: a", "X-A: a\x00b", ""),
     error=(400, "invalid character 0x00 in value of header \"X-A\""))
case("err-header-without-colon", crlf("GET / HTTP/1.1", "Host: a", "NoColon", ""),
     error=(400, "header line without a colon"))
case("err-obs-fold", crlf("GET / HTTP/1.1", "Host: a", "X-Long: part one", "  part two", ""),
     error=(400, "obsolete line folding (a header line starting with whitespace) is not allowed"))
case("err-missing-host", crlf("GET /v2 HTTP/1.1", "Accept: */*", ""), error=(400, "missing Host header"))
case("err-multiple-host", crlf("GET /v2 HTTP/1.1", "Host: a", "Host: b", ""), error=(400, "multiple Host headers"))
case("err-two-leading-empty-lines", "\r\n\r\n" + crlf("GET / HTTP/1.1", "Host: a", ""),
     error=(400, "more than one empty line before the request line"))
case("err-content-length-and-chunked",
     crlf("POST /x HTTP/1.1", "Host: a", "Content-Length: 5", "Transfer-Encoding: chunked", "") + "0\r\n\r\n",
     error=(400, "both Content-Length and Transfer-Encoding are present"))
case("err-conflicting-content-length",
     crlf("POST /x HTTP/1.1", "Host: a", "Content-Length: 5", "Content-Length: 6", "") + "hello",
     error=(400, "conflicting Content-Length values 5 and 6"))
case("err-invalid-content-length", crlf("POST /x HTTP/1.1", "Host: a", "Content-Length: -1", ""),
     error=(400, "invalid Content-Length \"-1\""))
case("err-transfer-encoding-gzip", crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: gzip", ""),
     error=(501, "unsupported transfer-coding \"gzip\""))
case("err-transfer-encoding-gzip-chunked",
     crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked", "") + "0\r\n\r\n",
     error=(501, "unsupported transfer-coding \"gzip\""))
case("err-chunked-not-final", crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: chunked, gzip", ""),
     error=(400, "chunked is not the final transfer-coding"))
case("err-content-length-too-large",
     crlf("POST /x HTTP/1.1", "Host: a", "Content-Length: 99999999999", ""),
     error=(413, "Content-Length 99999999999 exceeds the limit of 67108864 bytes"))
case("err-chunked-too-large",
     crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n",
     error=(413, "chunked body exceeds the limit of 16 bytes"), limits=(1024, 16))
case("err-chunk-size-overflow",
     crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "FFFFFFFFFFFFFFFFFFFF\r\n",
     error=(413, "chunked body exceeds the limit of 67108864 bytes"))
case("err-chunk-size-invalid",
     crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "zz\r\n",
     error=(400, "invalid chunk size \"zz\""))
case("err-chunk-missing-crlf",
     crlf("POST /x HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "3\r\nabcX\r\n0\r\n\r\n",
     error=(400, "missing CRLF after chunk data"))
case("err-head-too-large",
     crlf("GET / HTTP/1.1", "Host: a", "X-Big: " + "b" * 150, ""),
     error=(431, "request head exceeds the limit of 128 bytes"), limits=(128, 1024))
case("err-head-too-large-incomplete",
     crlf("GET / HTTP/1.1", "Host: a") + "X-Slow: " + "s" * 150,
     error=(431, "request head exceeds the limit of 128 bytes"), limits=(128, 1024))
case("err-expectation-failed", crlf("POST /x HTTP/1.1", "Host: a", "Expect: 200-ok", "Content-Length: 1", "") + "x",
     error=(417, "unsupported expectation \"200-ok\""))
case("err-after-pipelined-request",
     crlf("GET /first HTTP/1.1", "Host: a", "") + crlf("GET /second HTTP/9.9", "Host: a", ""),
     [req("GET", "/first", [("host", "a")])],
     error=(505, "HTTP version \"HTTP/9.9\" is not supported"))

with open("cases.json", "w") as f:
    json.dump({"cases": CASES}, f, indent=1)
    f.write("\n")
print("%d fixtures" % len(CASES))
