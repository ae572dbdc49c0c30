# Fuzz targets of the OTLP decoders and batch encoders (owner: otlp codec).
tw_fuzz(otlp_traces_decode_fuzz SOURCES otlp_traces_decode_fuzz.cc DEPS tw_otlp_codec_testing)
tw_fuzz(otlp_logs_decode_fuzz SOURCES otlp_logs_decode_fuzz.cc DEPS tw_otlp_codec_testing)
