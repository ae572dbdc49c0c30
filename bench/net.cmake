# HTTP/1.1 parser, writer and loopback round trip (src/net).
tw_bench(http_bench SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_bench.cc DEPS tw_net)
