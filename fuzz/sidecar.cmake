# Fuzz targets of the sidecar (src/sidecar). Seeds: fuzz/corpus/sidecar_frame_fuzz/.
tw_fuzz(sidecar_frame_fuzz SOURCES sidecar_frame_fuzz.cc DEPS tw_sidecar)
