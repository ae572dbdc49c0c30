# Collector fuzz targets (src/collector); seeds in corpus/<name>/.
# zipkin_v2_decode_fuzz: Zipkin v2 JSON into a SpanBatch, checking every index and view.
tw_fuzz(zipkin_v2_decode_fuzz SOURCES ${CMAKE_CURRENT_LIST_DIR}/zipkin_v2_decode_fuzz.cc
        DEPS tw_collector_receivers)
# receiver_http_ingest_fuzz: a raw HTTP request through the receivers' shared request handling
# (media type, Content-Encoding with a bound, bearer token, CORS).
tw_fuzz(receiver_http_ingest_fuzz SOURCES ${CMAKE_CURRENT_LIST_DIR}/receiver_http_ingest_fuzz.cc
        DEPS tw_collector_receivers)
# collector_config_fuzz: YAML text through the whole config parser (every factory's section
# parser, pipeline checks); must answer OK or INVALID_ARGUMENT, never crash or throw.
tw_fuzz(collector_config_fuzz SOURCES ${CMAKE_CURRENT_LIST_DIR}/collector_config_fuzz.cc
        DEPS tw_collector)
