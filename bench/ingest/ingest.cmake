# The ingest benchmark (owner: bench/ingest): the load generator and its library; the
# orchestration is bench/ingest/ingest.py. Plain programs, not Google Benchmark ones.
find_package(CLI11 REQUIRED)

add_library(tw_bench_ingest STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ingest_catalog.cc
  ${CMAKE_CURRENT_LIST_DIR}/ingest_trace_gen.cc
  ${CMAKE_CURRENT_LIST_DIR}/ingest_corpus.cc
  ${CMAKE_CURRENT_LIST_DIR}/ingest_http_load.cc
  ${CMAKE_CURRENT_LIST_DIR}/ingest_query_load.cc)
target_include_directories(tw_bench_ingest PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(tw_bench_ingest PUBLIC tw_otlp_proto tw_net tw_base ZLIB::ZLIB
                      Threads::Threads)

add_executable(ingest_load ${CMAKE_CURRENT_LIST_DIR}/ingest_load.cc)
target_link_libraries(ingest_load PRIVATE tw_bench_ingest CLI11::CLI11)

tw_test(ingest_bench_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/ingest_corpus_test.cc
  DEPS tw_bench_ingest)
