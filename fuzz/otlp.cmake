# Fuzz targets of src/otlp (owner: otlp).
tw_fuzz(otlp_headers_fuzz SOURCES otlp_headers_fuzz.cc DEPS tw_otlp_encoding)
tw_fuzz(otlp_response_fuzz SOURCES otlp_response_fuzz.cc DEPS tw_otlp_encoding)
tw_fuzz(otlp_gzip_fuzz SOURCES otlp_gzip_fuzz.cc DEPS tw_otlp_encoding)
tw_fuzz(otlp_encoder_fuzz SOURCES otlp_encoder_fuzz.cc DEPS tw_otlp_encoding tw_otlp_proto)
