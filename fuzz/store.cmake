# Fuzz targets of the store (owner: io/wal; others may add theirs). Seeds: fuzz/corpus/NAME/.
tw_fuzz(store_wal_replay_fuzz SOURCES store_wal_replay_fuzz.cc DEPS tw_store_wal)
