# tw_trpc (owner: runtime): the tRPC server and client runtime, call contexts and filter chains.
# See internal/README.md for the pieces.
tw_library(tw_trpc
  SOURCES
    call_context.cc
    client.cc
    filter.cc
    server.cc
    server_call.cc
    internal/client_call_impl.cc
    internal/client_connection.cc
    internal/input_buffer.cc
    internal/io_loop.cc
    internal/server_call_impl.cc
    internal/server_connection.cc
    internal/server_loop.cc
  DEPS tw_trpc_codec tw_trace Threads::Threads)
target_compile_definitions(tw_trpc PUBLIC ASIO_STANDALONE ASIO_NO_DEPRECATED)

tw_test(trpc_runtime_test
  SOURCES
    call_context_test.cc
    client_test.cc
    filter_test.cc
    server_malformed_test.cc
    server_test.cc
  DEPS tw_trpc tw_net_testing)
