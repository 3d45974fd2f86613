"""Raw HTTP/2 probes against a server, with the python `h2` library driving frames by hand.

Each probe prints one JSON line describing what the server did; the Swift integration tests run
it and assert on that line. Usage: h2_probe.py PORT PROBE
"""
import json
import socket
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings

PORT = int(sys.argv[1])
PROBE = sys.argv[2]


def connect(timeout=5.0):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    return s


def client(settings=None):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    if settings:
        conn.update_settings(settings)
    return conn


def pump(sock, conn, until, limit=200):
    """Reads frames until `until(events)` is true, the peer closes, or `limit` reads."""
    seen = []
    for _ in range(limit):
        data = sock.recv(65536)
        if not data:
            seen.append(("closed",))
            break
        for ev in conn.receive_data(data):
            seen.append(ev)
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
        if until(seen):
            break
    return seen


def get(conn, sock, path, extra=()):
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, [(":method", "GET"), (":path", path), (":scheme", "http"), (":authority", "localhost")] + list(extra), end_stream=True)
    sock.sendall(conn.data_to_send())
    return sid


def frames_raw(sock):
    """Reads raw frames until the peer closes; returns [(type, flags, stream, payload)]."""
    buf = b""
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                break
            buf += d
    except socket.timeout:
        pass
    out = []
    while len(buf) >= 9:
        ln = int.from_bytes(buf[0:3], "big")
        out.append((buf[3], buf[4], int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF, buf[9:9 + ln]))
        buf = buf[9 + ln:]
    return out


def result(**kw):
    print(json.dumps(kw))


if PROBE == "bad-preface":
    # The connection preface is the magic string followed by a SETTINGS frame (RFC 9113 3.4);
    # a DATA frame in its place is a connection error of type PROTOCOL_ERROR.
    s = connect(2.0)
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + (4).to_bytes(3, "big") + bytes([0, 1]) + (1).to_bytes(4, "big") + b"oops")
    fr = frames_raw(s)
    goaway = [f for f in fr if f[0] == 7]
    code = int.from_bytes(goaway[0][3][4:8], "big") if goaway else None
    result(goaway=bool(goaway), error_code=code)

elif PROBE == "data-after-end-stream":
    # HEADERS with END_STREAM half-closes the stream from the client's side; a DATA frame on it in
    # the same packet must be answered with STREAM_CLOSED (RFC 9113 5.1, half-closed (remote)).
    s = connect(2.0)
    c = client()
    s.sendall(c.data_to_send())
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(":method", "GET"), (":path", "/v2/health/live"), (":scheme", "http"), (":authority", "localhost")], end_stream=True)
    frame = (5).to_bytes(3, "big") + bytes([0, 1]) + sid.to_bytes(4, "big") + b"hello"
    s.sendall(c.data_to_send() + frame)
    fr = frames_raw(s)
    rst = [f for f in fr if f[0] == 3 and f[2] == sid]
    goaway = [f for f in fr if f[0] == 7]
    code = None
    if rst:
        code = int.from_bytes(rst[0][3][0:4], "big")
    elif goaway:
        code = int.from_bytes(goaway[0][3][4:8], "big")
    # The connection stays usable for new streams after a stream error.
    result(rst=bool(rst), goaway=bool(goaway), error_code=code)

elif PROBE == "oversized-headers":
    s = connect()
    c = client()
    sid = get(c, s, "/v2/health/live", extra=[("x-big", "a" * 20000)])
    evs = pump(s, c, lambda e: any(isinstance(x, (h2.events.StreamEnded, h2.events.StreamReset, h2.events.ConnectionTerminated)) for x in e) or ("closed",) in e)
    status = next((dict(x.headers).get(":status") for x in evs if isinstance(x, h2.events.ResponseReceived)), None)
    reset = any(isinstance(x, h2.events.StreamReset) for x in evs)
    # The connection must survive: a normal request on it still works.
    sid2 = get(c, s, "/v2/health/live")
    evs2 = pump(s, c, lambda e: any(isinstance(x, h2.events.StreamEnded) and x.stream_id == sid2 for x in e) or ("closed",) in e)
    status2 = next((dict(x.headers).get(":status") for x in evs2 if isinstance(x, h2.events.ResponseReceived)), None)
    result(status=status, reset=reset, followup_status=status2)

elif PROBE == "window-exhaustion":
    # A client window of 1 KiB for a 256 KiB echo response: the server must stop at the window and
    # continue exactly as WINDOW_UPDATEs arrive.
    s = connect()
    c = client({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1024})
    s.sendall(c.data_to_send())
    body = bytes(range(256)) * 1024
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(":method", "POST"), (":path", "/echo"), (":scheme", "http"), (":authority", "localhost"),
                         ("content-type", "application/octet-stream")], end_stream=False)
    # Send the body within our own send window, flushing as the server opens it.
    sent = 0
    received = b""
    max_chunk_before_update = 0
    ended = False
    while not ended:
        while sent < len(body):
            n = min(c.local_flow_control_window(sid), c.max_outbound_frame_size, len(body) - sent)
            if n <= 0:
                break
            c.send_data(sid, body[sent:sent + n], end_stream=(sent + n == len(body)))
            sent += n
        out = c.data_to_send()
        if out:
            s.sendall(out)
        data = s.recv(65536)
        if not data:
            break
        for ev in c.receive_data(data):
            if isinstance(ev, h2.events.DataReceived):
                received += ev.data
                max_chunk_before_update = max(max_chunk_before_update, ev.flow_controlled_length)
                c.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            if isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid:
                ended = True
        out = c.data_to_send()
        if out:
            s.sendall(out)
    result(ok=received == body, received=len(received), max_data_frame=max_chunk_before_update)

elif PROBE == "multiplex":
    s = connect()
    c = client()
    sids = [get(c, s, "/v2/health/ready") for _ in range(50)]
    done = set()
    statuses = {}
    def until(evs):
        for x in evs:
            if isinstance(x, h2.events.ResponseReceived):
                statuses[x.stream_id] = dict(x.headers).get(":status")
            if isinstance(x, h2.events.StreamEnded):
                done.add(x.stream_id)
        return len(done) == len(sids)
    pump(s, c, until, limit=1000)
    result(completed=len(done), all_200=all(statuses.get(i) == "200" for i in sids))

elif PROBE == "goaway-on-shutdown":
    # Used by the graceful-shutdown test: open a connection, wait for GOAWAY, print the last stream id.
    s = connect(10.0)
    c = client()
    sid = get(c, s, "/v2/health/live")
    print(json.dumps({"ready": True}), flush=True)
    evs = pump(s, c, lambda e: any(isinstance(x, h2.events.ConnectionTerminated) for x in e) or ("closed",) in e, limit=1000)
    term = [x for x in evs if isinstance(x, h2.events.ConnectionTerminated)]
    result(goaway=bool(term), error_code=int(term[0].error_code) if term else None)

elif PROBE == "cancel-held-stream":
    # The server holds /hold unanswered; /check answers with what the held request's writer says
    # about being abandoned. Ask before and after resetting the held stream, on one connection.
    s = connect()
    c = client()
    s.sendall(c.data_to_send())
    held = get(c, s, "/hold")

    def check():
        sid = get(c, s, "/check")
        body = {}

        def until(evs):
            for x in evs:
                if isinstance(x, h2.events.DataReceived) and x.stream_id == sid:
                    body[sid] = body.get(sid, b"") + x.data
                if isinstance(x, h2.events.StreamEnded) and x.stream_id == sid:
                    return True
            return False
        pump(s, c, until)
        return body.get(sid, b"").decode()

    before = check()
    c.reset_stream(held, error_code=8)   # CANCEL
    s.sendall(c.data_to_send())
    after = check()
    result(before=before, after=after)

elif PROBE == "grpc-infer":
    # One gRPC ModelInfer over raw frames with a chosen grpc-timeout: argv MODEL INPUT WIDTH TIMEOUT.
    # Prints the call's grpc-status and grpc-message (from the trailers, or trailers-only headers).
    from tritonclient.grpc import service_pb2 as pb
    model, input_name, width, timeout = sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
    req = pb.ModelInferRequest(model_name=model)
    t = req.inputs.add(name=input_name, datatype="FP32", shape=[1, width])
    t.contents.fp32_contents.extend([0.5] * width)
    msg = req.SerializeToString()
    s = connect()
    c = client()
    s.sendall(c.data_to_send())
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(":method", "POST"), (":path", "/inference.GRPCInferenceService/ModelInfer"),
                         (":scheme", "http"), (":authority", "localhost"), ("content-type", "application/grpc"),
                         ("te", "trailers"), ("grpc-timeout", timeout)])
    c.send_data(sid, b"\x00" + len(msg).to_bytes(4, "big") + msg, end_stream=True)
    s.sendall(c.data_to_send())
    fields = {}

    def until(evs):
        for x in evs:
            if isinstance(x, (h2.events.ResponseReceived, h2.events.TrailersReceived)) and x.stream_id == sid:
                fields.update(dict(x.headers))
            if isinstance(x, h2.events.StreamEnded) and x.stream_id == sid:
                return True
        return False
    pump(s, c, until)
    result(status=fields.get("grpc-status"), message=fields.get("grpc-message"))

else:
    print(json.dumps({"error": "unknown probe " + PROBE}))
    sys.exit(2)
