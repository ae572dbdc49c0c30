# --- tw_trpc_tracing: the server and client tracing filters (tracing/).
tw_library(tw_trpc_tracing
  SOURCES
    tracing/client_tracing_filter.cc
    tracing/rpc_attributes.cc
    tracing/server_tracing_filter.cc
    tracing/trace_propagators.cc
  DEPS tw_trpc tw_trace tw_trace_propagation)
tw_test(trpc_tracing_test
  SOURCES tracing/tracing_filters_test.cc tracing/rpc_attributes_test.cc
          tracing/tracing_runtime_test.cc
  DEPS tw_trpc_tracing)
