# The sidecar benchmark (owner: sidebench): the HTTP/1.1 echo backend; the load generator is
# trpc_echo_load (--protocol http), the driver bench/sidecar/sidecar_bench.py.
find_package(CLI11 REQUIRED)

add_executable(http_echo_server ${CMAKE_CURRENT_LIST_DIR}/http_echo_server.cc)
target_link_libraries(http_echo_server PRIVATE tw_net CLI11::CLI11 Threads::Threads)
target_compile_definitions(http_echo_server PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED)
