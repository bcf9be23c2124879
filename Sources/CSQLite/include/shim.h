#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include "sqlite3.h"
/* SQLITE_TRANSIENT is a cast macro that does not import into Swift. */
static inline sqlite3_destructor_type shim_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* sqlite3_db_config is variadic, which Swift cannot call: foreign keys on, as `PRAGMA foreign_keys = ON`. */
static inline int shim_sqlite_enable_foreign_keys(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, (int *)0);
}
#endif
