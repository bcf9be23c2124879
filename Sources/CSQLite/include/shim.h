#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include "sqlite3.h"
/* SQLITE_TRANSIENT is a cast macro that does not import into Swift. */
static inline sqlite3_destructor_type shim_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* Turns off SQLite's memory statistics before its first use: they take one process-wide mutex on every
   allocation, which serialises connections on separate threads (the simulation runs seeds side by side).
   Later calls, and calls after SQLite has started, change nothing. */
static inline void shim_sqlite_configure(void) {
    static int done;
    if (__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL)) return;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
/* sqlite3_db_config is variadic, which Swift cannot call: foreign keys on, as `PRAGMA foreign_keys = ON`. */
static inline int shim_sqlite_enable_foreign_keys(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, (int *)0);
}
#endif
