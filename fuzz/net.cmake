# HTTP/1.1 parser fuzz targets (src/net); seeds in corpus/<name>/. The first input byte picks
# the piece sizes (and, for responses, whether the request was HEAD).
tw_fuzz(http_request_parser_fuzz SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_request_parser_fuzz.cc
        DEPS tw_net)
tw_fuzz(http_response_parser_fuzz SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_response_parser_fuzz.cc
        DEPS tw_net)
