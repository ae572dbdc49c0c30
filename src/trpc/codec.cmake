# tw_trpc_codec (owner: codec): frame header, RequestProtocol/ResponseProtocol and streaming metas,
# whole-frame encode/decode. Pure functions over bytes; the sidecar reuses it. See README.md.
tw_library(tw_trpc_codec
  SOURCES
    frame_codec.cc
    frame_format.cc
    protocol.cc
    protocol_decode.cc
    protocol_encode.cc
    ret_code.cc
    trans_info.cc
  DEPS tw_base)

# tw_trpc_proto: generated classes of proto/trpc.proto (tests, fuzzers, benchmarks only).
add_subdirectory(proto)

tw_test(trpc_codec_test
  SOURCES
    frame_codec_test.cc
    frame_format_test.cc
    frame_vectors_test.cc
    protocol_decode_test.cc
    protocol_encode_test.cc
    ret_code_test.cc
    trans_info_test.cc
  DEPS tw_trpc_codec tw_trpc_proto nlohmann_json::nlohmann_json)
