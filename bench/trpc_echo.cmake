# The tRPC echo benchmark (owner: bench): load generator, OTLP sink, and the orchestration
# script bench/trpc_echo.py. Plain programs, not Google Benchmark ones.
find_package(CLI11 REQUIRED)

add_library(tw_bench_trpc_echo STATIC
  ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_histogram.cc
  ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load_options.cc
  ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load_connection.cc
  ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load_http.cc)
target_include_directories(tw_bench_trpc_echo PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tw_bench_trpc_echo PUBLIC tw_trpc_codec tw_net tw_base Threads::Threads)
target_compile_definitions(tw_bench_trpc_echo PUBLIC ASIO_STANDALONE ASIO_NO_DEPRECATED)

add_executable(trpc_echo_load ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load.cc)
target_link_libraries(trpc_echo_load PRIVATE tw_bench_trpc_echo CLI11::CLI11)

tw_test(trpc_echo_bench_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_histogram_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load_options_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/trpc_echo_load_http_test.cc
  DEPS tw_bench_trpc_echo)

add_executable(otlp_sink ${CMAKE_CURRENT_LIST_DIR}/otlp_sink.cc)
target_link_libraries(otlp_sink PRIVATE tw_net tw_otlp_encoding tw_otlp_proto
                      nlohmann_json::nlohmann_json CLI11::CLI11)
