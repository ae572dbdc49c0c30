# Fuzz targets of src/trace/sdk (owner: sdk).
tw_fuzz(resource_attributes_fuzz SOURCES resource_attributes_fuzz.cc DEPS tw_trace)
