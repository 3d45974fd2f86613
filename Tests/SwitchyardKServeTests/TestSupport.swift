@testable import SwitchyardKServe

/// Shared helpers: decode a JSON string, expect an error message.
enum T {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func decode(_ json: String) throws(KServeError) -> InferRequest {
        try KServeJSONDecoder().decodeInferRequest(body: bytes(json))
    }

    /// The error a decode produces, or nil if it succeeded.
    static func decodeError(_ json: String) -> KServeError? {
        do {
            _ = try KServeJSONDecoder().decodeInferRequest(body: bytes(json))
            return nil
        } catch {
            return error
        }
    }

    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// A one-input request document.
    static func request(_ datatype: String, _ shape: String, _ data: String) -> String {
        #"{"inputs":[{"name":"x","datatype":"\#(datatype)","shape":\#(shape),"data":\#(data)}]}"#
    }
}
