// SwitchyardKServe: the Open Inference Protocol v2 (KServe / Triton) as pure codecs.
//
// Bytes and HTTP vocabulary in, typed values out, and back; no sockets, runtime or routing.
// The gateway calls, per request:
//   REST   KServeRoute.parse(method:path:)                       → which endpoint (404/405 decided here)
//          KServeJSONDecoder.decodeInferRequest(body:…)          → InferRequest (JSON, binary extension, raw form)
//          InferRequest.validate(against:)                        → 400s for inputs/outputs that do not fit the model
//          KServeJSONEncoder.encodeResponse(modelName:…).httpResponse() → JSON or JSON+binary response with Triton's headers
//          KServeError.httpResponse                               → {"error": "..."} with the kind's status
//   gRPC   GRPCMethod.resolve(path:)                              → RPC or UNIMPLEMENTED
//          GRPCMessaging.decodeRequest(_:body:maxMessageSize:)   → message (framing, compression flag, size)
//          Inference_ModelInferRequest.inferCall()                → model + InferRequest (typed or raw contents)
//          GRPCMessaging.response(framed: GRPCInferResponseEncoder.framed(r)) / .failure(GRPCStatus(error))
//
// Decisions where the specs are silent or servers disagree (PROTOCOL.md has the sources):
// - Unknown JSON members are ignored (Triton and KServe Python do the same); missing required
//   members (`inputs`, an input's `name`/`datatype`/`shape`/`data`) are 400s naming the member.
// - Nested `data` is flattened row-major without checking the nesting against the shape; only
//   the element count must equal the shape's product (Triton's behaviour).
// - Integer datatypes accept only JSON integers in range (1.0 is rejected for INT32); FP32/FP64
//   accept any JSON number; FP32 rejects finite values beyond its range; BOOL takes only
//   true/false; FP16/BF16 are binary only.
// - Outputs are written flat. FP32 uses Float's shortest round-trip text (not widened to Double
//   as Triton does), so values round-trip exactly and texts are shorter.
// - NaN/±Inf are written as NaN/Infinity/-Infinity (Python json's tokens, which tritonclient
//   reads); strict JSON clients should ask for binary outputs. Requests cannot carry them in JSON.
// - BYTES outputs that are not valid UTF-8 cannot be JSON strings: the encoder refuses with a 400
//   that points to `binary_data` (Triton would emit invalid JSON).
// - `binary_data_size` is consumed by the decoder and not passed on in tensor parameters.
// - The raw single-input form resolves at most one variable dimension from the body size, and
//   asks for all outputs as binary (as Triton).
// - gRPC: compressed messages are UNIMPLEMENTED (no grpc-encoding is advertised); oversized
//   messages RESOURCE_EXHAUSTED; responses use raw_output_contents (as Triton).
