# Fuzz targets of the store (owner: io/wal; others may add theirs). Seeds: fuzz/corpus/NAME/.
tw_fuzz(store_wal_replay_fuzz SOURCES store_wal_replay_fuzz.cc DEPS tw_store_wal)
# Store formats (owner: store): block files and the store's WAL payloads.
tw_fuzz(store_block_reader_fuzz SOURCES store_block_reader_fuzz.cc DEPS tw_store_core)
tw_fuzz(store_wal_payload_fuzz SOURCES store_wal_payload_fuzz.cc DEPS tw_store_core)
